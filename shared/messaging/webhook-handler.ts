import { timingSafeEqual } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { readRawBody } from '../platform/http.js';
import { log } from '../platform/log.js';
import { problems } from '../platform/problem.js';
import { QUEUES, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { flattenEnvelope, type SkippedItem } from './events.js';
import { checkMetaSignature } from './signature.js';
import { webhookEnvelopeSchema } from './webhook-schema.js';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** GET /api/webhooks/meta: Meta's subscription check. The challenge goes back as plain text. */
export async function verifyMetaSubscription(rt: Runtime, request: HttpRequest): Promise<HttpResponseInit> {
  const mode = request.query.get('hub.mode');
  const token = request.query.get('hub.verify_token') ?? '';
  const challenge = request.query.get('hub.challenge') ?? '';
  if (mode === 'subscribe' && sameSecret(token, rt.settings.META_VERIFY_TOKEN) && challenge) {
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: challenge };
  }
  log.warn('meta.verify.refused', { mode });
  throw problems.forbidden('The verify token does not match.');
}

/**
 * POST /api/webhooks/meta: check the signature over the raw bytes first, then the shape, then
 * enqueue one message per event and answer 200. Nothing slow happens here.
 */
export async function receiveMetaWebhook(rt: Runtime, request: HttpRequest): Promise<HttpResponseInit> {
  const raw = await readRawBody(request, rt.settings.META_WEBHOOK_MAX_BYTES);
  const signature = checkMetaSignature(raw, request.headers.get('x-hub-signature-256'), rt.settings.META_APP_SECRET);
  if (!signature.ok) {
    log.warn('meta.webhook.bad_signature', {
      reason: signature.reason,
      sha1Only: request.headers.has('x-hub-signature'),
    });
    throw problems.unauthorized(`X-Hub-Signature-256 is ${signature.reason}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw problems.badRequest('The body is not JSON.');
  }
  const envelope = webhookEnvelopeSchema.safeParse(json);
  if (!envelope.success) throw problems.validation(envelope.error);
  const skipped: SkippedItem[] = [];
  const events = flattenEnvelope(envelope.data, skipped);
  if (events.length > 0) {
    await sendToQueue(
      rt.bus,
      QUEUES.metaEvents,
      events.map((e) => e.event),
    );
  }
  if (skipped.length > 0) logSkipped(skipped);
  log.info('meta.webhook.accepted', {
    object: envelope.data.object,
    entries: envelope.data.entry.length,
    events: events.length,
    skipped: skipped.length,
  });
  return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'EVENT_RECEIVED' };
}

/** One log line per kind of acknowledged-but-unqueued item: kinds and counts only, never content or ids. */
function logSkipped(skipped: SkippedItem[]): void {
  const counts = new Map<string, SkippedItem & { count: number }>();
  for (const s of skipped) {
    const key = `${s.platform}|${s.source}|${s.kind}|${s.reason}`;
    const seen = counts.get(key);
    if (seen) seen.count++;
    else counts.set(key, { ...s, count: 1 });
  }
  for (const c of counts.values())
    log.info('meta.item.acknowledged', {
      platform: c.platform,
      source: c.source,
      kind: c.kind,
      reason: c.reason,
      count: c.count,
    });
}
