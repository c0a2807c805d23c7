import { app } from '@azure/functions';
import { processStripeEvent, receiveStripeWebhook, stripeEventSchema } from '../shared/billing/triggers.js';
import { httpFunction } from '../shared/platform/http.js';
import { queueFunction } from '../shared/platform/queue.js';
import { QUEUES } from '../shared/platform/queues.js';

app.http('stripe-webhook', {
  route: 'webhooks/stripe',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpFunction(receiveStripeWebhook),
});

app.serviceBusQueue('stripe-events-process', {
  connection: 'ServiceBusConnection',
  queueName: QUEUES.stripeEvents.name,
  isSessionsEnabled: QUEUES.stripeEvents.requiresSession,
  handler: queueFunction(QUEUES.stripeEvents.name, stripeEventSchema, (rt, event) => processStripeEvent(rt, event)),
});
