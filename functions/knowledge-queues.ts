import { app } from '@azure/functions';
import { buildIndex } from '../shared/knowledge/triggers.js';
import { queueFunction } from '../shared/platform/queue-trigger.js';
import { QUEUES } from '../shared/platform/queues.js';
import { appRuntime } from './runtime.js';

app.serviceBusQueue('knowledge-index-build', {
  connection: 'ServiceBusConnection',
  queueName: QUEUES.knowledgeIndex.name,
  isSessionsEnabled: QUEUES.knowledgeIndex.requiresSession,
  handler: queueFunction(appRuntime, QUEUES.knowledgeIndex, (rt, job) => buildIndex(rt, job.tenantId)),
});
