import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../functions/api-routes.js';
import type { LocalHost } from '../../local/host.js';
import { optinToken } from '../../shared/email/optin-token.js';
import { enqueueEmail } from '../../shared/email/outbox.js';
import { emailKey } from '../../shared/email/unsubscribe.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { confirmationPath, subscribeAndConfirm } from '../helpers/marketing.js';

describe('§6 consent and Art. 21 objections: a subscription needs the link mailed to the address (double opt-in)', () => {
  let host: LocalHost;
  const settle = async () => {
    for (let i = 0; i < 3; i++) await host.broker.whenIdle();
  };
  beforeAll(async () => {
    host = await startTestHost({ values: { BURST_WAIT_MS: '0' } });
  });
  afterAll(async () => host?.stop());

  const newsTo = async (email: string) => {
    await enqueueEmail(host.runtime, {
      key: `news-${randomUUID()}`,
      template: 'newsletter',
      language: 'en',
      to: email,
      data: { subject: 'News', body: 'New features.' },
    });
    await settle();
    return host.mail.outbox.filter((m) => m.to === email.toLowerCase() && m.subject === 'News').length;
  };
  const subscribe = (email: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    api(host, undefined, 'POST', '/api/v1/marketing/subscribe', {
      body: { email, consent: true, source: 'website', ...extra },
      headers,
    });
  const objectionOf = async (email: string) => {
    const id = `obj_${emailKey(email)}`;
    return (await host.runtime.cosmos.container('marketing').item(id, id).read()).resource;
  };

  it('§6 Art. 21: an anonymous subscribe, in any letter case, leaves an objection standing and says nothing about the address', async () => {
    const email = `objector-${randomUUID().slice(0, 6)}@example.com`;
    await subscribeAndConfirm(host, email, settle);
    expect(await newsTo(email)).toBe(1);
    const link = /<(.+)>/.exec(
      host.mail.outbox.findLast((m) => m.to === email)?.headers['List-Unsubscribe'] ?? '',
    )?.[1] as string;
    expect((await api(host, undefined, 'POST', new URL(link).pathname + new URL(link).search)).body).toEqual({
      unsubscribed: true,
    });
    expect(await objectionOf(email)).toBeDefined();

    const stranger = `never-seen-${randomUUID().slice(0, 6)}@example.com`;
    const answers = [];
    for (const variant of [email.toUpperCase(), email.replace(/^o/, 'O'), stranger]) {
      const res = await subscribe(variant);
      answers.push({ status: res.status, body: res.body, type: res.headers.get('content-type') });
    }
    // The same answer for an objector and for an address never seen.
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toEqual({
      status: 202,
      body: { subscribed: false, confirmationSent: true },
      type: 'application/json',
    });
    await settle();
    expect(await objectionOf(email)).toBeDefined();
    expect(await newsTo(email)).toBe(1);
    // Three requests for the address send at most one more confirmation within an hour (two if the hour turned), to the
    // normalised address.
    const confirmations = host.mail.outbox.filter((m) => m.to === email && m.subject.startsWith('Confirm'));
    expect(confirmations.length).toBeLessThanOrEqual(2);
    expect(host.mail.outbox.some((m) => m.to !== m.to.toLowerCase())).toBe(false);
  });

  it('§6 only the mailed link lifts an objection and records consent, once; a forged, reused or expired link is a 400 problem', async () => {
    const email = `comeback-${randomUUID().slice(0, 6)}@example.com`;
    await host.runtime.cosmos
      .container('marketing')
      .items.upsert({ id: `obj_${emailKey(email)}`, type: 'objection', objectedAt: new Date().toISOString() });
    expect((await subscribe(email.toUpperCase(), { language: 'ro' })).status).toBe(202);
    await settle();
    const mail = host.mail.outbox.findLast((m) => m.to === email);
    expect(mail?.subject).toBe('Confirmați abonarea la noutățile Aliat');
    expect(mail?.headers['List-Unsubscribe']).toBeUndefined();
    const path = confirmationPath(host, email) as string;
    expect(path).not.toContain(email);
    expect(path).not.toContain(emailKey(email));

    const token = new URL(path, host.url).searchParams.get('token') as string;
    const [nonce] = token.split('.');
    const past = optinToken(nonce as string, new Date(Date.now() - 1000), host.runtime.settings.UNSUBSCRIBE_SECRET);
    const otherKey = optinToken(
      nonce as string,
      new Date(Date.now() + 3_600_000),
      'some-other-secret-of-enough-length',
    );
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const unsubscribeSigned = `${emailKey(email)}.${token.split('.')[2]}`;
    for (const bad of [past, otherKey, tampered, unsubscribeSigned, 'x'.repeat(12), `${nonce}.1.${'a'.repeat(43)}`]) {
      const res = await api(host, undefined, 'GET', `/api/v1/marketing/confirm?token=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(await objectionOf(email)).toBeDefined();

    expect((await api(host, undefined, 'POST', path)).body).toEqual({ subscribed: true });
    expect(await objectionOf(email)).toBeUndefined();
    const key = emailKey(email);
    const prospect = (await host.runtime.cosmos.container('marketing').item(key, key).read()).resource;
    expect(prospect).toMatchObject({
      type: 'prospect',
      email,
      source: 'website',
      confirmedVia: 'double-opt-in',
      consentAt: expect.any(String),
    });
    expect(await newsTo(email)).toBe(1);

    const again = await api(host, undefined, 'GET', path);
    expect(again.status).toBe(400);
    expect(JSON.stringify(again.body)).toMatch(/already used/);
  });
});

describe('the anonymous routes are rate limited per route and client address', () => {
  let host: LocalHost;
  const LIMIT = 3;
  beforeAll(async () => {
    // Two hops: the local host appends the socket address as Azure's front end would, so the client is the entry before
    // it.
    host = await startTestHost({ values: { ANONYMOUS_RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUSTED_PROXY_HOPS: '2' } });
  });
  afterAll(async () => host?.stop());

  const anonymous = API_ROUTES.filter((r) => r.anonymous);

  it('covers every anonymous route in the catalog', () => {
    expect(anonymous.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        'GET v1/marketing/confirm',
        'GET v1/marketing/unsubscribe',
        'POST v1/marketing/confirm',
        'POST v1/marketing/subscribe',
        'POST v1/marketing/unsubscribe',
      ].sort(),
    );
  });

  for (const route of anonymous) {
    it(`${route.method} ${route.path}: past the limit a client gets 429 problem+json with Retry-After; another client does not`, async () => {
      const call = (ip: string) =>
        api(host, undefined, route.method, `/api/${route.path}${route.query ? '?token=not-a-valid-token' : ''}`, {
          headers: { 'x-forwarded-for': `198.51.100.7, ${ip}` },
          ...(route.body
            ? { body: { email: `rl-${randomUUID().slice(0, 6)}@example.com`, consent: true, source: 'rate-test' } }
            : {}),
        });
      const a = `203.0.113.${10 + anonymous.indexOf(route)}`;
      for (let i = 0; i < LIMIT; i++) expect((await call(a)).status).not.toBe(429);
      const limited = await call(a);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toBe('application/problem+json');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited.body).toMatchObject({ status: 429 });
      // Another caller on the same route is unaffected.
      expect((await call('2001:db8::99')).status).not.toBe(429);
    });
  }
});
