import { NotFoundError } from '../platform/domain-errors.js';
import type { ConversationDeps } from './conversation-deps.js';
import type { ConversationDoc } from './documents.js';
import { memberKey } from './unread.js';

/** Marks a conversation read for one member: their unread count drops to 0, nobody else's changes. */
export async function markConversationRead(
  deps: ConversationDeps,
  tenantId: string,
  conversationId: string,
  sub: string,
): Promise<ConversationDoc> {
  const key = memberKey(sub);
  const saved = await deps.conversations.update(tenantId, conversationId, (c) => {
    const seen = c.inboundCount ?? c.unread;
    return c.readBy?.[key] === seen ? undefined : { ...c, readBy: { ...c.readBy, [key]: seen } };
  });
  if (!saved) throw new NotFoundError('conversation');
  await deps.unreadChanged(saved, sub);
  return saved;
}
