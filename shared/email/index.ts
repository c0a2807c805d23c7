export { enqueueEmail } from './outbox.js';
