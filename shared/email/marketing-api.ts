import { z } from 'zod';
import { defineRoute } from '../platform/api.js';
import { problems } from '../platform/problem.js';
import type { Runtime } from '../platform/runtime.js';
import { emailKey, verifyUnsubscribeToken } from './unsubscribe.js';

/** A prospect who gave explicit consent (§6), recorded with time and source. */
export interface ProspectDoc {
  id: string;
  type: 'prospect';
  email?: string;
  consentAt?: string;
  source?: string;
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

export const subscribeRoute = defineRoute({
  name: 'v1-marketing-subscribe',
  method: 'POST',
  path: 'v1/marketing/subscribe',
  summary: 'A prospect subscribes to news, with explicit consent',
  tag: 'Marketing',
  roles: [],
  anonymous: true,
  body: z.strictObject({ email: z.email(), consent: z.literal(true).describe('Must be true: the person ticked the consent box'), source: z.string().min(1).max(100) }),
  response: { status: 202, description: 'Recorded', schema: z.object({ subscribed: z.boolean() }) },
  handler: async ({ r, body }) => {
    const key = emailKey(body.email);
    const doc: ProspectDoc = { id: key, type: 'prospect', email: body.email.trim().toLowerCase(), consentAt: r.clock.now().toISOString(), source: body.source };
    await r.cosmos.container('marketing').items.upsert(doc);
    await r.cosmos.container('marketing').item(objectionId(key), objectionId(key)).delete().catch(() => undefined);
    return { status: 202, body: { subscribed: true } };
  },
});

async function unsubscribe(r: Runtime, token: string) {
  const key = verifyUnsubscribeToken(token, r.settings.UNSUBSCRIBE_SECRET);
  if (!key) throw problems.badRequest('The unsubscribe link is not valid.', [{ field: 'query.token', message: 'invalid' }]);
  const now = r.clock.now().toISOString();
  const objection: ObjectionDoc = { id: objectionId(key), type: 'objection', objectedAt: now };
  await r.cosmos.container('marketing').items.upsert(objection);
  await r.cosmos
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
    summary: method === 'POST' ? 'One-click unsubscribe (RFC 8058): records the objection at once' : 'Unsubscribe link opened in a browser: records the objection at once',
    tag: 'Marketing',
    roles: [],
    anonymous: true,
    query: tokenQuery,
    response: { status: 200, description: 'Unsubscribed', schema: z.object({ unsubscribed: z.boolean() }) },
    handler: async ({ r, query }) => unsubscribe(r, query.token),
  });
}

export const unsubscribePostRoute = unsubscribeRoute('POST');
export const unsubscribeGetRoute = unsubscribeRoute('GET');

export const marketingRoutes = [subscribeRoute, unsubscribePostRoute, unsubscribeGetRoute];
