import { app } from '@azure/functions';
import { insightsAfterSend } from '../shared/conversations/triggers.js';
import { ingestEvent, metaEventSchema, runSendJob, sendJobSchema } from '../shared/messaging/triggers.js';
import { queueFunction } from '../shared/platform/queue.js';
import { QUEUES } from '../shared/platform/queues.js';
import { replyJobSchema, runReplyJob } from '../shared/replies/triggers.js';

const connection = 'ServiceBusConnection';

app.serviceBusQueue('meta-events-ingest', {
  connection,
  queueName: QUEUES.metaEvents.name,
  isSessionsEnabled: QUEUES.metaEvents.requiresSession,
  handler: queueFunction(QUEUES.metaEvents.name, metaEventSchema, (rt, event) => ingestEvent(rt, event)),
});

app.serviceBusQueue('replies-generate', {
  connection,
  queueName: QUEUES.replies.name,
  isSessionsEnabled: QUEUES.replies.requiresSession,
  handler: queueFunction(QUEUES.replies.name, replyJobSchema, (rt, job) => runReplyJob(rt, job)),
});

app.serviceBusQueue('outbound-send', {
  connection,
  queueName: QUEUES.outbound.name,
  isSessionsEnabled: QUEUES.outbound.requiresSession,
  handler: queueFunction(QUEUES.outbound.name, sendJobSchema, (rt, job) =>
    runSendJob(rt, job).then(() => insightsAfterSend(rt, job)),
  ),
});
