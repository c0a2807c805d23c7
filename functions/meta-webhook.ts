import { app } from '@azure/functions';
import { receiveMetaWebhook, verifyMetaSubscription } from '../shared/messaging/triggers.js';
import { httpFunction } from '../shared/platform/http.js';
import { appRuntime } from './runtime.js';

app.http('meta-webhook-verify', {
  route: 'webhooks/meta',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpFunction((request) => verifyMetaSubscription(appRuntime(), request)),
});
app.http('meta-webhook-receive', {
  route: 'webhooks/meta',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpFunction((request) => receiveMetaWebhook(appRuntime(), request)),
});
