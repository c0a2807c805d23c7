export { insightsRoutes } from './api.js';
export { settleDue } from './counters.js';
export { runWeeklyDigest } from './digest.js';
export { runInsightsJob } from './insights-job.js';
