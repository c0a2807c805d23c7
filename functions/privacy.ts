import { app } from '@azure/functions';
import { httpFunction } from '../shared/platform/http.js';
import { queueFunction } from '../shared/platform/queue-trigger.js';
import { QUEUES } from '../shared/platform/queues.js';
import {
  metaDataDeletion,
  metaDataDeletionStatus,
  runPrivacyJob,
  runRetentionPurge,
} from '../shared/privacy/triggers.js';
import { appRuntime } from './runtime.js';

app.http('meta-data-deletion', {
  route: 'meta/data-deletion',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpFunction((request) => metaDataDeletion(appRuntime(), request)),
});
app.http('meta-data-deletion-status', {
  route: 'meta/data-deletion/{confirmationCode}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpFunction((request) => metaDataDeletionStatus(appRuntime(), request)),
});

app.serviceBusQueue('privacy-jobs-run', {
  connection: 'ServiceBusConnection',
  queueName: QUEUES.privacyJobs.name,
  isSessionsEnabled: QUEUES.privacyJobs.requiresSession,
  handler: queueFunction(appRuntime, QUEUES.privacyJobs, (rt, job) => runPrivacyJob(rt, job)),
});

// West Europe night by default (01:30 UTC); the schedule is a setting.
app.timer('retention-purge', {
  schedule: '%RETENTION_SCHEDULE%',
  handler: async () => {
    await runRetentionPurge(appRuntime());
  },
});
