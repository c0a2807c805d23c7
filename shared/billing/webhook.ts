import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { readRawBody } from '../platform/http.js';
import { log } from '../platform/log.js';
import { problems } from '../platform/problem.js';
import { QUEUES } from '../platform/queues.js';
import { runtime } from '../platform/runtime.js';
import { stripeClient } from './stripe-client.js';

/** The part of a Stripe event the queue carries. */
export const stripeEventSchema = z.object({
  id: z.string().regex(/^evt_/),
  type: z.string().min(1),
  created: z.number().int(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
export type StripeEventBody = z.infer<typeof stripeEventSchema>;

/** POST /api/webhooks/stripe: verified with the Stripe SDK over the raw body (300 s tolerance), enqueued by event id. */
export async function receiveStripeWebhook(request: HttpRequest): Promise<HttpResponseInit> {
  const rt = runtime();
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
  const parsed = stripeEventSchema.safeParse(event);
  if (!parsed.success) throw problems.validation(parsed.error);
  const object = parsed.data.data.object;
  const customer =
    typeof object.customer === 'string' ? object.customer : object.object === 'customer' ? String(object.id) : 'none';
  await rt.bus.send(QUEUES.stripeEvents.name, {
    body: parsed.data,
    messageId: parsed.data.id,
    sessionId: `customer:${customer}`,
    subject: parsed.data.type,
  });
  log.info('stripe.webhook.accepted', { type: parsed.data.type });
  return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"received":true}' };
}
