export { sweepWithdrawnProspects } from './marketing-repository.js';
export { enqueueEmail } from './outbox.js';
