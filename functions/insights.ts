import { app } from '@azure/functions';
import { runInsightsJob, runWeeklyDigest, settleDue } from '../shared/insights/triggers.js';
import { queueFunction } from '../shared/platform/queue-trigger.js';
import { QUEUES } from '../shared/platform/queues.js';
import { appRuntime } from './runtime.js';

app.serviceBusQueue('insights-events-apply', {
  connection: 'ServiceBusConnection',
  queueName: QUEUES.insightsEvents.name,
  isSessionsEnabled: QUEUES.insightsEvents.requiresSession,
  handler: queueFunction(appRuntime, QUEUES.insightsEvents, (rt, job) => runInsightsJob(rt, job)),
});

// Hourly: conversations whose resolution window has passed get their verdict, so the figures are
// at most an hour behind even when no new message touches the conversation.
app.timer('insights-settle', {
  schedule: '0 15 * * * *',
  handler: async () => {
    await settleDue(appRuntime());
  },
});

// Mondays at 06:00 UTC (08:00 in Romania): the digest of the week that just ended. Each tenant's
// e-mail is keyed by its week, so a repeated or late firing sends nothing twice.
app.timer('insights-weekly-digest', {
  schedule: '0 0 6 * * 1',
  handler: async () => {
    await runWeeklyDigest(appRuntime());
  },
});
