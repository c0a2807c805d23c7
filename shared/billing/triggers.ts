export { billingRoutes } from './api.js';
export { processStripeEvent } from './events.js';
export { receiveStripeWebhook } from './webhook.js';
