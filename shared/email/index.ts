/** `cosmosMarketingRepository(rt.cosmos).forgetSubject(emailKey(address))` erases a prospect, keeping the objection. */
export { cosmosMarketingRepository } from './marketing-repository.js';
export { enqueueEmail } from './outbox.js';
export { emailKey } from './unsubscribe.js';
