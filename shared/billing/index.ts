export type { BillingRepository } from './billing-repository.js';
export { billingRepository, usageRepository } from './billing-stores.js';
export { thresholdsCrossed } from './plans.js';
export { answerBudget, isEntitled, quotaState } from './tenant-entitlement.js';
export { monthOf, recordUsage } from './usage.js';
export type { UsageRepository } from './usage-repository.js';
