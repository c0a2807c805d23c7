import type { Runtime } from '../platform/runtime.js';
import { cosmosInsightsRepository } from './insights-repository.js';
import { cosmosThreadRepository } from './thread-repository.js';

/**
 * A deleted conversation takes its insights with it: its gap samples (End-User content) and its
 * tracker (conversation metadata). Day counters stay: they are counts, about no one.
 */
export async function forgetConversationInsights(rt: Runtime, tenantId: string, conversationId: string): Promise<void> {
  await cosmosInsightsRepository(rt.cosmos).forgetSubject(tenantId, conversationId);
  await cosmosThreadRepository(rt.cosmos).forgetSubject(tenantId, conversationId);
}
