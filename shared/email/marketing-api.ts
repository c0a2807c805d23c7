import { z } from 'zod';
import { defineRoute } from '../platform/api.js';
import { readDoc } from '../platform/document-store.js';
import { problems } from '../platform/problem.js';
import type { Runtime } from '../platform/runtime.js';
import { newOptinNonce, optinToken, verifyOptinToken } from './optin-token.js';
import { enqueueEmail } from './outbox.js';
import { emailKey, verifyUnsubscribeToken } from './unsubscribe.js';

/** A prospect who gave explicit consent (§6), recorded with time and source. */
export interface ProspectDoc {
  id: string;
  type: 'prospect';
  email?: string;
  consentAt?: string;
  source?: string;
  /** How consent was proven: the person opened a link mailed to the address. */
  confirmedVia?: 'double-opt-in';
  withdrawnAt?: string;
}

/** An objection to marketing (Art. 21), kept by address hash only, so it outlives the prospect's data. */
export interface ObjectionDoc {
  id: string;
  type: 'objection';
  objectedAt: string;
}

export function objectionId(key: string): string {
  return `obj_${key}`;
}

/** How long a confirmation link works; the pending request lives no longer than its link. */
const OPTIN_TTL_MS = 48 * 3_600_000;

/** A subscription waiting for the person to confirm it from their mailbox; kept in dedup, so it expires on its own. */
interface PendingOptinDoc {
  id: string;
  type: 'optin-pending';
  email: string;
  source: string;
  requestedAt: string;
  expiresAt: string;
  ttl: number;
}

const pendingId = (nonce: string) => `optin:${nonce}`;

function languageOf(explicit: 'en' | 'ro' | undefined, acceptLanguage: string | null): 'en' | 'ro' {
  return explicit ?? (/^\s*ro\b/i.test(acceptLanguage ?? '') ? 'ro' : 'en');
}

export const subscribeRoute = defineRoute({
  name: 'v1-marketing-subscribe',
  method: 'POST',
  path: 'v1/marketing/subscribe',
  summary: 'A prospect asks to subscribe to news; a confirmation link is mailed to the address (double opt-in)',
  description:
    'Nothing is recorded as consent and no objection is lifted here: the address gets a signed, single-use link that works for 48 hours, and only opening it records consent (§6). The answer is the same whether or not the address is known or has objected.',
  tag: 'Marketing',
  roles: [],
  anonymous: true,
  body: z.strictObject({
    email: z.email().max(254),
    consent: z.literal(true).describe('Must be true: the person ticked the consent box'),
    source: z.string().min(1).max(100),
    language: z
      .enum(['en', 'ro'])
      .optional()
      .describe('Language of the confirmation e-mail; else from Accept-Language, else English'),
  }),
  response: {
    status: 202,
    description: 'A confirmation link is on its way',
    schema: z.object({ subscribed: z.boolean(), confirmationSent: z.boolean() }),
  },
  handler: async ({ rt, body, request }) => {
    const email = body.email.trim().toLowerCase();
    const now = rt.clock.now();
    const expiresAt = new Date(now.getTime() + OPTIN_TTL_MS);
    const nonce = newOptinNonce();
    const pending: PendingOptinDoc = {
      id: pendingId(nonce),
      type: 'optin-pending',
      email,
      source: body.source,
      requestedAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      ttl: Math.ceil(OPTIN_TTL_MS / 1000),
    };
    await rt.cosmos.container('dedup').items.create(pending);
    const link = `${rt.settings.PUBLIC_BASE_URL}/api/v1/marketing/confirm?token=${optinToken(nonce, expiresAt, rt.settings.UNSUBSCRIBE_SECRET)}`;
    // One confirmation mail per address per hour, however often someone submits it: the e-mail key dedups the rest.
    const hour = Math.floor(now.getTime() / 3_600_000);
    await enqueueEmail(rt, {
      key: `optin:${emailKey(email)}:${hour}`,
      template: 'marketing_confirmation',
      language: languageOf(body.language, request.headers.get('accept-language')),
      to: email,
      data: { link, expiresAt: expiresAt.toISOString() },
    });
    return { status: 202, body: { subscribed: false, confirmationSent: true } };
  },
});

/** The person opened the link: now, and only now, consent is recorded and an earlier objection lifted. */
async function confirm(rt: Runtime, token: string) {
  const verified = verifyOptinToken(token, rt.settings.UNSUBSCRIBE_SECRET, rt.clock.now());
  if ('error' in verified)
    throw problems.badRequest(
      verified.error === 'expired'
        ? 'The confirmation link has expired; subscribe again.'
        : 'The confirmation link is not valid.',
      [{ field: 'query.token', message: verified.error }],
    );
  const dedup = rt.cosmos.container('dedup');
  const id = pendingId(verified.nonce);
  const pending = await readDoc<PendingOptinDoc>(dedup, id, id);
  // Deleting is the single use: of two clicks racing, only one delete succeeds.
  const claimed = pending
    ? await dedup
        .item(id, id)
        .delete()
        .then(
          () => true,
          (e: { code?: number }) => (e.code === 404 ? false : Promise.reject(e)),
        )
    : false;
  if (!pending || !claimed)
    throw problems.badRequest('The confirmation link was already used or has expired.', [
      { field: 'query.token', message: 'used' },
    ]);
  const key = emailKey(pending.email);
  const doc: ProspectDoc = {
    id: key,
    type: 'prospect',
    email: pending.email,
    consentAt: rt.clock.now().toISOString(),
    source: pending.source,
    confirmedVia: 'double-opt-in',
  };
  await rt.cosmos.container('marketing').items.upsert(doc);
  await rt.cosmos
    .container('marketing')
    .item(objectionId(key), objectionId(key))
    .delete()
    .catch((e: { code?: number }) => {
      if (e.code !== 404) throw e;
    });
  return { status: 200, body: { subscribed: true } };
}

function confirmRoute(method: 'GET' | 'POST') {
  return defineRoute({
    name: method === 'POST' ? 'v1-marketing-confirm' : 'v1-marketing-confirm-link',
    method,
    path: 'v1/marketing/confirm',
    summary:
      'Confirms a subscription from the link mailed to the address: records consent and lifts an earlier objection',
    tag: 'Marketing',
    roles: [],
    anonymous: true,
    query: z.object({ token: z.string().min(10).max(200) }),
    response: { status: 200, description: 'Subscribed', schema: z.object({ subscribed: z.boolean() }) },
    handler: async ({ rt, query }) => confirm(rt, query.token),
  });
}

export const confirmPostRoute = confirmRoute('POST');
export const confirmGetRoute = confirmRoute('GET');

async function unsubscribe(rt: Runtime, token: string) {
  const key = verifyUnsubscribeToken(token, rt.settings.UNSUBSCRIBE_SECRET);
  if (!key)
    throw problems.badRequest('The unsubscribe link is not valid.', [{ field: 'query.token', message: 'invalid' }]);
  const now = rt.clock.now().toISOString();
  const objection: ObjectionDoc = { id: objectionId(key), type: 'objection', objectedAt: now };
  await rt.cosmos.container('marketing').items.upsert(objection);
  await rt.cosmos
    .container('marketing')
    .item(key, key)
    .patch([{ op: 'set', path: '/withdrawnAt', value: now }])
    .catch((e: { code?: number }) => {
      if (e.code !== 404) throw e;
    });
  return { status: 200, body: { unsubscribed: true } };
}

const tokenQuery = z.object({ token: z.string().min(10).max(200) });

function unsubscribeRoute(method: 'GET' | 'POST') {
  return defineRoute({
    name: method === 'POST' ? 'v1-marketing-unsubscribe' : 'v1-marketing-unsubscribe-link',
    method,
    path: 'v1/marketing/unsubscribe',
    summary:
      method === 'POST'
        ? 'One-click unsubscribe (RFC 8058): records the objection at once'
        : 'Unsubscribe link opened in a browser: records the objection at once',
    tag: 'Marketing',
    roles: [],
    anonymous: true,
    query: tokenQuery,
    response: { status: 200, description: 'Unsubscribed', schema: z.object({ unsubscribed: z.boolean() }) },
    handler: async ({ rt, query }) => unsubscribe(rt, query.token),
  });
}

export const unsubscribePostRoute = unsubscribeRoute('POST');
export const unsubscribeGetRoute = unsubscribeRoute('GET');

export const marketingRoutes = [
  subscribeRoute,
  confirmPostRoute,
  confirmGetRoute,
  unsubscribePostRoute,
  unsubscribeGetRoute,
];
