import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { readRawBody } from '../platform/http.js';
import { log } from '../platform/log.js';
import { problems } from '../platform/problem.js';
import { QUEUES, type QueueMessage, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { stripeClient } from './stripe-client.js';

/** The part of a Stripe event the queue carries. */
export type StripeEventBody = QueueMessage<typeof QUEUES.stripeEvents>;

/**
 * POST /api/webhooks/stripe: verified with the Stripe SDK over the raw body (300 s tolerance), enqueued by event id.
 */
export async function receiveStripeWebhook(rt: Runtime, request: HttpRequest): Promise<HttpResponseInit> {
  const raw = await readRawBody(request, 512 * 1024);
  let event: { id: string; type: string; created: number; data: { object: unknown } };
  try {
    event = stripeClient(rt.settings).webhooks.constructEvent(
      raw,
      request.headers.get('stripe-signature') ?? '',
      rt.settings.STRIPE_WEBHOOK_SECRET,
    );
  } catch (error) {
    log.warn('stripe.webhook.bad_signature', { error: (error as Error).name });
    throw problems.badRequest('The Stripe-Signature header is missing or does not match.');
  }
  const parsed = QUEUES.stripeEvents.schema.safeParse(event);
  if (!parsed.success) throw problems.validation(parsed.error);
  await sendToQueue(rt.bus, QUEUES.stripeEvents, parsed.data);
  log.info('stripe.webhook.accepted', { type: parsed.data.type });
  return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"received":true}' };
}
