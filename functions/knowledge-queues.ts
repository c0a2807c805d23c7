import { app } from '@azure/functions';
import { buildIndex } from '../shared/knowledge/store.js';
import { queueFunction } from '../shared/platform/queue.js';
import { QUEUES } from '../shared/platform/queues.js';

app.serviceBusQueue('knowledge-index-build', {
  connection: 'ServiceBusConnection',
  queueName: QUEUES.knowledgeIndex.name,
  isSessionsEnabled: QUEUES.knowledgeIndex.requiresSession,
  handler: queueFunction(QUEUES.knowledgeIndex, (r, job) => buildIndex(r, job.tenantId)),
});
