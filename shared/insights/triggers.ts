export { insightsRoutes } from './api.js';
export { settleDue } from './counters.js';
export { runWeeklyDigest } from './digest.js';
export { insightsJobSchema, runInsightsJob } from './hooks.js';
