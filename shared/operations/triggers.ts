export { createBackup } from './backup.js';
export { operationsRoutes } from './staff-api.js';
