export { cosmosMarketingRepository, type MarketingRepository } from './marketing-repository.js';
export { enqueueEmail } from './outbox.js';
export { emailKey } from './unsubscribe.js';
