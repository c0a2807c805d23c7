import { app } from '@azure/functions';
import { receiveMetaWebhook, verifyMetaSubscription } from '../shared/messaging/triggers.js';
import { httpFunction } from '../shared/platform/http.js';

app.http('meta-webhook-verify', {
  route: 'webhooks/meta',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpFunction(verifyMetaSubscription),
});
app.http('meta-webhook-receive', {
  route: 'webhooks/meta',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: httpFunction(receiveMetaWebhook),
});
