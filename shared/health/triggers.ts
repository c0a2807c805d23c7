export { healthHandler } from './handler.js';
