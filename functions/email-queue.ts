import { app } from '@azure/functions';
import { runEmailJob } from '../shared/email/triggers.js';
import { queueFunction } from '../shared/platform/queue-trigger.js';
import { QUEUES } from '../shared/platform/queues.js';
import { appRuntime } from './runtime.js';

app.serviceBusQueue('emails-send', {
  connection: 'ServiceBusConnection',
  queueName: QUEUES.emails.name,
  handler: queueFunction(appRuntime, QUEUES.emails, (rt, job) => runEmailJob(rt, job)),
});
