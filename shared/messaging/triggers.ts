export { ingestEvent, metaEventSchema } from './ingest.js';
export { runSendJob, sendJobSchema } from './send-job.js';
export { signMetaBody } from './signature.js';
export { receiveMetaWebhook, verifyMetaSubscription } from './webhook-handler.js';
