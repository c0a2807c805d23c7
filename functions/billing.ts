import { app } from '@azure/functions';
import { processStripeEvent, receiveStripeWebhook } from '../shared/billing/triggers.js';
import { httpFunction } from '../shared/platform/http.js';
import { queueFunction } from '../shared/platform/queue-trigger.js';
import { QUEUES } from '../shared/platform/queues.js';
import { appRuntime } from './runtime.js';

app.http('stripe-webhook', {
  route: 'webhooks/stripe',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpFunction((request) => receiveStripeWebhook(appRuntime(), request)),
});

app.serviceBusQueue('stripe-events-process', {
  connection: 'ServiceBusConnection',
  queueName: QUEUES.stripeEvents.name,
  isSessionsEnabled: QUEUES.stripeEvents.requiresSession,
  handler: queueFunction(appRuntime, QUEUES.stripeEvents, (rt, event) => processStripeEvent(rt, event)),
});
