export { forgetConversationInsights } from './forget.js';
export type { SampleRef } from './gap-samples.js';
export { withoutSamples } from './gap-samples.js';
export { removeGapSamples } from './gaps-store.js';
export type { InsightsJob } from './hooks.js';
export type { InsightsRepository } from './insights-repository.js';
export { cosmosInsightsRepository, memoryInsightsRepository } from './insights-repository.js';
export type { ThreadRepository } from './thread-repository.js';
export { cosmosThreadRepository, memoryThreadRepository } from './thread-repository.js';
