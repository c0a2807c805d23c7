export { conversationRoutes } from './api.js';
export { inboxRoutes } from './inbox-api.js';
