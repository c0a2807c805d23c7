import { app } from '@azure/functions';
import { ingestEvent, runSendJob } from '../shared/messaging/triggers.js';
import { queueFunction } from '../shared/platform/queue-trigger.js';
import { QUEUES } from '../shared/platform/queues.js';
import { runReplyJob } from '../shared/replies/triggers.js';
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
  handler: queueFunction(appRuntime, QUEUES.outbound, (rt, job) => runSendJob(rt, job)),
});
