export { realtimeRoutes } from './api.js';
