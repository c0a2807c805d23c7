import type { Runtime } from '../platform/runtime.js';
import { type ConversationDeps, conversationDeps } from './conversation-deps.js';

/**
 * A member removed from the team holds no conversation: each one assigned to them goes back to unassigned, and the
 * live inbox is told, so nothing waits on a person who can no longer answer. Returns how many were released.
 */
export async function unassignMember(
  deps: Pick<ConversationDeps, 'conversations' | 'announce' | 'clock'>,
  request: { tenantId: string; sub: string; by: string; pageSecret: string },
): Promise<number> {
  const { tenantId, sub, by } = request;
  let released = 0;
  let token: string | undefined;
  do {
    const page = await deps.conversations.list(
      tenantId,
      { assignee: sub },
      { secret: request.pageSecret, kind: 'unassign-member', limit: 100, ...(token ? { token } : {}) },
    );
    for (const c of page.items) {
      const saved = await deps.conversations.update(tenantId, c.id, (current) => {
        if (current.assignee !== sub) return undefined;
        const { assignee: _removed, ...rest } = current;
        return { ...rest, updatedAt: deps.clock.now().toISOString() };
      });
      if (!saved) continue;
      released++;
      await deps.announce(tenantId, {
        type: 'conversation.assigned',
        conversationId: saved.id,
        assignee: null,
        by,
        at: deps.clock.now().toISOString(),
      });
    }
    token = page.continuationToken;
  } while (token);
  return released;
}

/** `unassignMember` with the runtime's stores. */
export function releaseMemberConversations(rt: Runtime, tenantId: string, sub: string, by: string): Promise<number> {
  return unassignMember(conversationDeps(rt), { tenantId, sub, by, pageSecret: rt.settings.PAGE_TOKEN_SECRET });
}
