export { runPrivacyJob } from './jobs.js';
export { metaDataDeletion, metaDataDeletionStatus } from './meta-callback.js';
export { runRetentionPurge } from './purge.js';
export { privacyRoutes } from './staff-api.js';
