import { app } from '@azure/functions';
import { z } from 'zod';
import { buildIndex } from '../shared/knowledge/triggers.js';
import { queueFunction } from '../shared/platform/queue.js';
import { QUEUES } from '../shared/platform/queues.js';

app.serviceBusQueue('knowledge-index-build', {
  connection: 'ServiceBusConnection',
  queueName: QUEUES.knowledgeIndex.name,
  isSessionsEnabled: QUEUES.knowledgeIndex.requiresSession,
  handler: queueFunction(
    QUEUES.knowledgeIndex.name,
    z.object({ tenantId: z.string().min(1), version: z.number().int() }),
    (rt, job) => buildIndex(rt, job.tenantId),
  ),
});
