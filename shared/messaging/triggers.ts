export { ingestEvent } from './ingest.js';
export { runSendJob } from './send-job.js';
export { signMetaBody } from './signature.js';
export { receiveMetaWebhook, verifyMetaSubscription } from './webhook-handler.js';
