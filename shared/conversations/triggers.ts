export { conversationRoutes } from './api.js';
export { inboxRoutes } from './inbox-api.js';
export { insightsAfterSend } from './insights-signals.js';
