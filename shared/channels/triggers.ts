export { channelRoutes } from './api.js';
export type { ChannelDoc, RouteDoc } from './channels.js';
export { routeIdOf, sealToken } from './channels.js';
export { checkChannelTokens } from './token-health.js';
