import { app } from '@azure/functions';
import { emailJobSchema, runEmailJob } from '../shared/email/triggers.js';
import { queueFunction } from '../shared/platform/queue.js';
import { QUEUES } from '../shared/platform/queues.js';

app.serviceBusQueue('emails-send', {
  connection: 'ServiceBusConnection',
  queueName: QUEUES.emails.name,
  handler: queueFunction(QUEUES.emails.name, emailJobSchema, (rt, job) => runEmailJob(rt, job)),
});
