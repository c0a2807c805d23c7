import type { Runtime } from '../platform/runtime.js';
import { threadId, threads } from './counters.js';
import { removeGapSamples } from './gaps-store.js';

/**
 * A deleted conversation takes its insights with it: its gap samples (End-User content) and its
 * tracker (conversation metadata). Day counters stay: they are counts, about no one.
 */
export async function forgetConversationInsights(rt: Runtime, tenantId: string, conversationId: string): Promise<void> {
  await removeGapSamples(rt, tenantId, conversationId);
  await threads(rt)
    .item(threadId(conversationId), tenantId)
    .delete()
    .catch((error: { code?: number }) => {
      if (error.code !== 404) throw error;
    });
}
