import { updateWithRetry } from '../platform/document-store.js';
import type { Runtime } from '../platform/runtime.js';
import type { ConversationDoc } from './documents.js';
import { insightsOnTransition } from './insights-signals.js';
import { publishState } from './live-updates.js';
import { transition } from './state.js';

/** Records a transition on a conversation (pure rule, persisted with an etag). */
export async function applyTransition(
  rt: Runtime,
  tenantId: string,
  conversationId: string,
  event: Parameters<typeof transition>[1],
): Promise<ConversationDoc | undefined> {
  const saved = await updateWithRetry<ConversationDoc>(
    rt.cosmos.container('conversations'),
    conversationId,
    tenantId,
    (c) => {
      const { next, record } = transition(c, event, rt.clock.now());
      return {
        ...c,
        state: next.state,
        pausedUntil: next.pausedUntil,
        resolvedAt: next.resolvedAt ?? c.resolvedAt,
        transitions: [...c.transitions, record],
        updatedAt: record.at,
      };
    },
  );
  const record = saved?.transitions.at(-1);
  if (saved && record) void publishState(rt, saved, record);
  await insightsOnTransition(rt, saved);
  return saved;
}
