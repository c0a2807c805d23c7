export { contactRoutes } from './api.js';
