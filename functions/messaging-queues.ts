import { app } from '@azure/functions';
import { insightsAfterSend } from '../shared/insights/hooks.js';
import { ingestEvent } from '../shared/messaging/ingest.js';
import { runReplyJob } from '../shared/messaging/reply-job.js';
import { runSendJob } from '../shared/messaging/send-job.js';
import { queueFunction } from '../shared/platform/queue.js';
import { QUEUES } from '../shared/platform/queues.js';
import { appRuntime } from './runtime.js';

const connection = 'ServiceBusConnection';

app.serviceBusQueue('meta-events-ingest', {
  connection,
  queueName: QUEUES.metaEvents.name,
  isSessionsEnabled: QUEUES.metaEvents.requiresSession,
  handler: queueFunction(appRuntime, QUEUES.metaEvents, (rt, event) => ingestEvent(rt, event)),
});

app.serviceBusQueue('replies-generate', {
  connection,
  queueName: QUEUES.replies.name,
  isSessionsEnabled: QUEUES.replies.requiresSession,
  handler: queueFunction(appRuntime, QUEUES.replies, (rt, job) => runReplyJob(rt, job)),
});

app.serviceBusQueue('outbound-send', {
  connection,
  queueName: QUEUES.outbound.name,
  isSessionsEnabled: QUEUES.outbound.requiresSession,
  handler: queueFunction(appRuntime, QUEUES.outbound, (rt, job) =>
    runSendJob(rt, job).then(() => insightsAfterSend(rt, job)),
  ),
});
