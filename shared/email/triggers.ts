export { marketingRoutes } from './marketing-api.js';
export { noticeRoutes } from './notices-api.js';
export { runEmailJob } from './sender.js';
