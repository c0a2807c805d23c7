import { InvalidInputError, NotFoundError } from '../platform/domain-errors.js';
import type { ConversationDeps } from './conversation-deps.js';
import type { ConversationDoc } from './documents.js';
import { findConversation } from './find-conversation.js';

/** Assigns a conversation to a member of the team, or unassigns it (null), and tells the live inbox. */
export async function assignConversation(
  deps: ConversationDeps,
  request: { tenantId: string; conversationId: string; assignee: string | null; by: string },
): Promise<ConversationDoc> {
  const { tenantId, conversationId, assignee } = request;
  await findConversation(deps.conversations, tenantId, conversationId);
  if (assignee && !(await deps.isMember(tenantId, assignee)))
    throw new InvalidInputError('The assignee is not a member of this account.', [
      { field: 'assignee', message: 'not a member' },
    ]);
  const saved = await deps.conversations.update(tenantId, conversationId, (c) => {
    if ((c.assignee ?? null) === assignee) return undefined;
    const { assignee: _previous, ...rest } = c;
    return { ...rest, ...(assignee ? { assignee } : {}), updatedAt: deps.clock.now().toISOString() } as ConversationDoc;
  });
  if (!saved) throw new NotFoundError('conversation');
  await deps.announce(tenantId, {
    type: 'conversation.assigned',
    conversationId: saved.id,
    assignee,
    by: request.by,
    at: deps.clock.now().toISOString(),
  });
  return saved;
}
