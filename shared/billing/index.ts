export { sweepBillingBefore } from './billing-repository.js';
export { usageRepository } from './billing-stores.js';
export { thresholdsCrossed } from './plans.js';
export { answerBudget, isEntitled, quotaState } from './tenant-entitlement.js';
export { claimReply, monthOf, recordUsage } from './usage.js';
