import { z } from 'zod';
import { defineRoute } from '../platform/api.js';
import { emailDeps } from './email-deps.js';
import { confirmSubscription, requestSubscription, unsubscribe } from './marketing-consent.js';

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
  handler: async ({ rt, body, request }) => ({
    status: 202,
    body: await requestSubscription(emailDeps(rt), {
      email: body.email,
      source: body.source,
      language: languageOf(body.language, request.headers.get('accept-language')),
    }),
  }),
});

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
    handler: async ({ rt, query }) => ({ status: 200, body: await confirmSubscription(emailDeps(rt), query.token) }),
  });
}

export const confirmPostRoute = confirmRoute('POST');
export const confirmGetRoute = confirmRoute('GET');

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
    handler: async ({ rt, query }) => ({ status: 200, body: await unsubscribe(emailDeps(rt), query.token) }),
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
