export { forgetConversationInsights } from './forget.js';
export type { SampleRef } from './gap-samples.js';
export { withoutSamples } from './gap-samples.js';
export { removeGapSamples } from './gaps-store.js';
export { cosmosInsightsRepository } from './insights-repository.js';
export { cosmosThreadRepository } from './thread-repository.js';
