import { readdirSync, readFileSync } from 'node:fs';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import type { BillingCustomerDoc } from '../../shared/billing/state.js';
import { claimReply } from '../../shared/billing/usage.js';
import type { MessageDoc } from '../../shared/conversations/index.js';
import { enqueueEmail } from '../../shared/email/outbox.js';
import { runReplyJob } from '../../shared/replies/reply-job.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { subscribeAndConfirm } from '../helpers/marketing.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { makeTenant } from '../helpers/tenants.js';

const FIXTURES = new URL('../fixtures/stripe/', import.meta.url);
const CUSTOMER = 'cus_QXg1o8vcGmoR32';
const SUBSCRIPTION = 'sub_1Pgc6rB7WZ01zgkWNy0Cn5nw';
const PRICE = 'price_1PgafmB7WZ01zgkW6dKueIc5';
const DAY = 86_400_000;
const stripe = new Stripe('sk_test_unused');

function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
}

describe('billing with Stripe', () => {
  let host: LocalHost;
  let secret: string;
  const clock = {
    offset: 0,
    now() {
      return new Date(Date.now() + this.offset);
    },
  };

  const send = (payload: string, header?: string | null) =>
    fetch(`${host.url}/api/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(header === null
          ? {}
          : { 'stripe-signature': header ?? stripe.webhooks.generateTestHeaderString({ payload, secret }) }),
      },
      body: payload,
    });
  const settle = async () => {
    for (let i = 0; i < 3; i++) await host.broker.whenIdle();
  };
  const event = (type: string, object: Record<string, unknown>, id = `evt_${Math.random().toString(36).slice(2)}`) =>
    JSON.stringify({ id, object: 'event', type, created: Math.floor(clock.now().getTime() / 1000), data: { object } });
  const subscription = (status: string) => ({
    id: SUBSCRIPTION,
    object: 'subscription',
    customer: CUSTOMER,
    status,
    items: {
      data: [{ price: { id: PRICE }, current_period_end: Math.floor(clock.now().getTime() / 1000) + 30 * 86_400 }],
    },
  });
  const state = async (tenantId: string) =>
    (await host.runtime.cosmos.container('billing').item('billing', tenantId).read<BillingCustomerDoc>()).resource;

  async function billedTenant() {
    const t = await makeTenant(host, {
      kb: true,
      extra: {
        owner: {
          name: 'Owner',
          email: `owner-${Date.now()}@salon.example`,
          preferredLanguage: 'ro',
          timeZone: 'Europe/Bucharest',
        },
      },
    });
    // Any earlier tenant mapped to the fixture customer lets it go.
    const { resources } = await host.runtime.cosmos
      .container('billing')
      .items.query<BillingCustomerDoc>(`SELECT * FROM c WHERE c.customerId = '${CUSTOMER}'`)
      .fetchAll();
    for (const d of resources)
      await host.runtime.cosmos
        .container('billing')
        .item(d.id, d.tenantId)
        .patch([{ op: 'set', path: '/customerId', value: `cus_released_${d.tenantId}` }]);
    await host.runtime.cosmos.container('billing').items.upsert({
      id: 'billing',
      tenantId: t.id,
      type: 'billing-customer',
      customerId: CUSTOMER,
      createdAt: clock.now().toISOString(),
      updatedAt: clock.now().toISOString(),
    });
    return t;
  }

  beforeAll(async () => {
    host = await startTestHost({
      clock,
      values: { STRIPE_PRICE_STARTER: PRICE, BURST_WAIT_MS: '0', EMAIL_RETRY_BASE_MS: '20' },
    });
    secret = host.runtime.settings.STRIPE_WEBHOOK_SECRET;
  });
  afterAll(async () => host?.stop());
  beforeEach(() => {
    host.stripe.subscriptions.set(SUBSCRIPTION, subscription('active'));
  });

  describe('webhook signature', () => {
    const payload = event('customer.updated', { id: CUSTOMER, object: 'customer' });
    it('accepts a good signature and refuses a bad or missing one with 400, storing nothing', async () => {
      expect((await send(payload)).status).toBe(200);
      await settle();
      const before = host.broker.depth('stripe-events');
      expect(
        (await send(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_wrong' }))).status,
      ).toBe(400);
      expect((await send(payload, null)).status).toBe(400);
      expect(host.broker.depth('stripe-events')).toEqual(before);
    });
    it('refuses a replayed old timestamp', async () => {
      const old = stripe.webhooks.generateTestHeaderString({
        payload,
        secret,
        timestamp: Math.floor(Date.now() / 1000) - 600,
      });
      const res = await send(payload, old);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    });
  });

  it('processes every fixture event and ends in the right state', async () => {
    const t = await billedTenant();
    const names = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(names).toHaveLength(9);
    host.stripe.subscriptions.set(SUBSCRIPTION, subscription('canceled'));
    for (const name of names) {
      const raw = readFileSync(new URL(name, FIXTURES), 'utf8');
      expect((await send(raw)).status, name).toBe(200);
    }
    await settle();
    expect(host.broker.deadLetters('stripe-events')).toEqual([]);
    const s = await state(t.id);
    expect(s).toMatchObject({
      customerId: CUSTOMER,
      subscriptionId: SUBSCRIPTION,
      status: 'canceled',
      plan: 'starter',
      billingCountry: 'US',
    });
    const { resources } = await host.runtime.cosmos
      .container('billing')
      .items.query(`SELECT * FROM c WHERE c.tenantId = '${t.id}' AND c.type = 'billing-record'`)
      .fetchAll();
    expect(resources.map((x) => x.invoiceId).sort()).toEqual(
      [fixture('invoice-paid.json').data.object.id, fixture('invoice-payment-failed.json').data.object.id].sort(),
    );
    const overview = await api(host, t.owner, 'GET', '/api/v1/billing');
    expect(overview.body).toMatchObject({ plan: 'Starter', status: 'canceled', entitled: false });
  });

  it('ends right when events arrive twice and out of order', async () => {
    const t = await billedTenant();
    // The fixtures' shapes, with event ids of this test's own (the earlier test already processed the originals).
    const fresh = (name: string) =>
      JSON.stringify({ ...fixture(name), id: `evt_ooo_${name.replace(/\W/g, '_')}_${Date.now()}` });
    const created = fresh('customer-subscription-created.json');
    const updated = fresh('customer-subscription-updated-past-due.json');
    const deleted = fresh('customer-subscription-deleted.json');
    // Stripe now says past_due; "updated" arrives before "created", each twice.
    host.stripe.subscriptions.set(SUBSCRIPTION, subscription('past_due'));
    for (const raw of [updated, updated, created, created]) expect((await send(raw)).status).toBe(200);
    await settle();
    expect((await state(t.id))?.status).toBe('past_due');
    // Then it is canceled: "deleted" arrives before the last "updated".
    host.stripe.subscriptions.set(SUBSCRIPTION, subscription('canceled'));
    const lateUpdate = JSON.stringify({ ...JSON.parse(updated), id: 'evt_late_update' });
    for (const raw of [deleted, lateUpdate, deleted]) expect((await send(raw)).status).toBe(200);
    await settle();
    expect((await state(t.id))?.status).toBe('canceled');
  });

  it('stops the bot when payment fails and the grace period ends, keeps storing messages, and answers again once paid', async () => {
    const t = await billedTenant();
    const ask = async (text: string) => {
      const userId = `u${Math.random().toString().slice(2, 10)}`;
      await postWebhook(
        host.url,
        dm({ object: 'instagram', accountId: t.account, userId, text, timestamp: clock.now().getTime() }),
        host.runtime.settings.META_APP_SECRET,
      );
      await settle();
      const stored = (
        await host.runtime.cosmos
          .container('messages')
          .items.query(`SELECT * FROM c WHERE c.senderId = '${userId}'`)
          .fetchAll()
      ).resources.length;
      return { stored, answered: host.graph.messages().some((m) => m.recipient === userId) };
    };
    host.stripe.subscriptions.set(SUBSCRIPTION, subscription('active'));
    await send(event('customer.subscription.updated', subscription('active')));
    await settle();
    expect(await ask('How much is a pedicure?')).toEqual({ stored: 1, answered: true });

    host.stripe.subscriptions.set(SUBSCRIPTION, subscription('past_due'));
    await send(
      event('invoice.payment_failed', {
        id: `in_fail_${t.id}`,
        object: 'invoice',
        customer: CUSTOMER,
        subscription: SUBSCRIPTION,
        status: 'open',
        amount_due: 4900,
        amount_paid: 0,
        currency: 'ron',
        created: Math.floor(clock.now().getTime() / 1000),
      }),
    );
    await settle();
    expect(host.mail.outbox.filter((m) => m.subject === 'Plata Aliat nu a reușit')).not.toHaveLength(0);
    expect(await ask('Do you have wifi?')).toEqual({ stored: 1, answered: true });

    clock.offset += 8 * DAY;
    try {
      expect(await ask('Is there parking nearby?')).toEqual({ stored: 1, answered: false });
      host.stripe.subscriptions.set(SUBSCRIPTION, subscription('active'));
      await send(
        event('invoice.paid', {
          id: `in_paid_${t.id}`,
          object: 'invoice',
          customer: CUSTOMER,
          subscription: SUBSCRIPTION,
          status: 'paid',
          amount_due: 4900,
          amount_paid: 4900,
          currency: 'ron',
          created: Math.floor(clock.now().getTime() / 1000),
        }),
      );
      await settle();
      expect((await state(t.id))?.pastDueSince).toBeUndefined();
      expect(await ask('Do you sell gift cards?')).toEqual({ stored: 1, answered: true });
      // The overview names the plan as checkout does, and money as the rest of the API writes currencies.
      const overview = (await api(host, t.owner, 'GET', '/api/v1/billing')).body;
      expect(overview.planId).toBe(overview.plan.toLowerCase());
      expect(overview.invoices).toContainEqual(
        expect.objectContaining({ amountDue: 4900, amountPaid: 4900, currency: 'RON', status: 'paid' }),
      );
    } finally {
      clock.offset -= 8 * DAY;
    }
  });

  it('never stores a full card number or CVC from a Stripe object', async () => {
    const t = await billedTenant();
    const pm = {
      id: 'pm_x',
      object: 'payment_method',
      customer: CUSTOMER,
      type: 'card',
      card: { brand: 'visa', last4: '4242', number: '4242424242424242', cvc: '987' },
    };
    await send(event('payment_method.attached', pm));
    await send(
      event('invoice.paid', {
        id: `in_card_${t.id}`,
        object: 'invoice',
        customer: CUSTOMER,
        status: 'paid',
        amount_due: 100,
        amount_paid: 100,
        currency: 'ron',
        created: 1,
        payment_intent: { payment_method: pm },
      }),
    );
    await settle();
    const { resources } = await host.runtime.cosmos
      .container('billing')
      .items.query(`SELECT * FROM c WHERE c.tenantId = '${t.id}'`)
      .fetchAll();
    // The CVC is matched as a whole JSON value: bare "987" can occur inside a random id or timestamp.
    expect(JSON.stringify(resources)).not.toMatch(/4242424242424242|"cvc"|"987"/);
    expect(resources.find((d) => d.type === 'billing-customer')).toMatchObject({
      cardBrand: 'visa',
      last4: '4242',
      paymentMethodType: 'card',
    });
  });

  it('sends an email once when its queue message is delivered twice', async () => {
    const job = {
      key: `once-${Date.now()}`,
      template: 'welcome' as const,
      language: 'en' as const,
      to: 'twice@example.com',
      data: { name: 'Ana', company: 'Salon' },
    };
    await enqueueEmail(host.runtime, job);
    await host.runtime.bus.send('emails', { body: { attempt: 0, ...job }, messageId: `redelivered-${job.key}` });
    await settle();
    expect(host.mail.outbox.filter((m) => m.to === 'twice@example.com')).toHaveLength(1);
  });

  it('retries a failing SendGrid call with backoff and dead-letters a refused one with the reason', async () => {
    host.mail.failures.push(503);
    await enqueueEmail(host.runtime, {
      key: `retry-${Date.now()}`,
      template: 'welcome',
      language: 'en',
      to: 'retry@example.com',
      data: { name: 'A', company: 'B' },
    });
    await settle();
    expect(host.mail.outbox.filter((m) => m.to === 'retry@example.com')).toHaveLength(1);
    host.mail.failures.push(400, 400, 400, 400, 400);
    await enqueueEmail(host.runtime, {
      key: `refused-${Date.now()}`,
      template: 'welcome',
      language: 'en',
      to: 'refused@example.com',
      data: { name: 'A', company: 'B' },
    });
    await settle();
    const dead = host.broker.deadLetters('emails').at(-1);
    expect(dead?.deadLetterErrorDescription).toMatch(/SendGrid refused the welcome email \(HTTP 400\)/);
  });

  /** A tenant on the Starter plan (500 replies a month) that has used `replies` of this month's. */
  async function starterTenantThatUsed(replies: number) {
    const t = await billedTenant();
    host.stripe.subscriptions.set(SUBSCRIPTION, subscription('active'));
    await send(event('customer.subscription.updated', subscription('active')));
    await settle();
    const month = clock.now().toISOString().slice(0, 7);
    await host.runtime.cosmos.container('usage').items.upsert({
      id: `usage-${month}`,
      tenantId: t.id,
      type: 'usage',
      month,
      replies,
      handoffs: 0,
      inputTokens: 0,
      outputTokens: 0,
      updatedAt: clock.now().toISOString(),
    });
    return { t, month };
  }

  it('emails the owner at 80% and 100% of the plan once, then hands off instead of answering', async () => {
    const { t, month } = await starterTenantThatUsed(398);
    await host.runtime.cosmos
      .container('usage')
      .item(`usage-${month}`, t.id)
      .patch([{ op: 'set', path: '/replies', value: 399 }]);
    const owner = (
      (await host.runtime.cosmos.container('tenants').item(t.id, t.id).read()).resource as { owner: { email: string } }
    ).owner.email;
    const ask = async (text: string) => {
      const userId = `q${Math.random().toString().slice(2, 10)}`;
      await postWebhook(
        host.url,
        dm({ object: 'instagram', accountId: t.account, userId, text, timestamp: clock.now().getTime() }),
        host.runtime.settings.META_APP_SECRET,
      );
      await settle();
      return host.graph.messages().find((m) => m.recipient === userId)?.text ?? '';
    };
    expect(await ask('How much is a pedicure?')).toMatch(/130 RON/);
    const usageMails = () =>
      host.mail.outbox.filter((m) => m.to === owner && /folosit/.test(m.subject)).map((m) => m.subject);
    expect(usageMails()).toEqual(['Ați folosit 80% din răspunsurile lunii']);
    await host.runtime.cosmos
      .container('usage')
      .item(`usage-${month}`, t.id)
      .patch([{ op: 'set', path: '/replies', value: 499 }]);
    expect(await ask('Do you have wifi?')).toMatch(/wifi/i);
    expect(await ask('Do you sell gift cards?')).toMatch(/A colleague will answer/);
    expect(usageMails()).toEqual(['Ați folosit 80% din răspunsurile lunii', 'Ați folosit toate răspunsurile lunii']);
    // The handoff over quota tells the owner a customer is waiting.
    expect(
      host.mail.outbox.filter((m) => m.to === owner && m.subject === 'Un client așteaptă un răspuns de la echipă'),
    ).toHaveLength(1);
  });

  it('never passes the quota when several customers are answered at the same time', async () => {
    const { t, month } = await starterTenantThatUsed(499);
    const usage = host.runtime.cosmos.container('usage').item(`usage-${month}`, t.id);
    const users = ['race1', 'race2', 'race3', 'race4'].map((u) => `${u}${Math.random().toString().slice(2, 8)}`);
    await Promise.all(
      users.map((userId) =>
        postWebhook(
          host.url,
          dm({
            object: 'instagram',
            accountId: t.account,
            userId,
            text: 'How much is a pedicure?',
            timestamp: clock.now().getTime(),
          }),
          host.runtime.settings.META_APP_SECRET,
        ),
      ),
    );
    await settle();
    const replies = users.map((u) => host.graph.messages().find((m) => m.recipient === u)?.text ?? '');
    expect(replies.filter((r) => /130 RON/.test(r))).toHaveLength(1);
    expect(replies.filter((r) => /A colleague will answer/.test(r))).toHaveLength(3);
    expect((await usage.read()).resource).toMatchObject({ replies: 500, handoffs: 3 });
  });

  describe('the quota count, when a reply job fails or runs twice (outside review M)', () => {
    const ownerOf = async (tenantId: string) =>
      (
        (await host.runtime.cosmos.container('tenants').item(tenantId, tenantId).read()).resource as {
          owner: { email: string };
        }
      ).owner.email;
    const ask = async (account: string, text: string) => {
      const userId = `qc${Math.random().toString().slice(2, 10)}`;
      await postWebhook(
        host.url,
        dm({ object: 'instagram', accountId: account, userId, text, timestamp: clock.now().getTime() }),
        host.runtime.settings.META_APP_SECRET,
      );
      await settle();
      return host.graph.messages().filter((m) => m.recipient === userId);
    };

    it('counts an answer once, and sends its 80% email, when storing it failed once after it was counted', async () => {
      const { t, month } = await starterTenantThatUsed(399);
      const cosmos = host.runtime.cosmos as unknown as { container: (name: string) => unknown };
      const real = cosmos.container.bind(cosmos);
      let failOnce = true;
      cosmos.container = (name: string) => {
        const container = real(name) as { items: { create: (doc: { id: string }, o?: unknown) => Promise<unknown> } };
        if (name !== 'messages') return container;
        const create = container.items.create.bind(container.items);
        container.items.create = async (doc, o) => {
          if (failOnce && doc.id.startsWith('out_')) {
            failOnce = false;
            throw Object.assign(new Error('Service unavailable'), { code: 503 });
          }
          return create(doc, o);
        };
        return container;
      };
      try {
        expect((await ask(t.account, 'How much is a pedicure?')).map((m) => m.text)).toEqual([
          expect.stringMatching(/130 RON/),
        ]);
      } finally {
        cosmos.container = real;
      }
      expect(failOnce).toBe(false);
      const usage = await host.runtime.cosmos.container('usage').item(`usage-${month}`, t.id).read();
      expect(usage.resource).toMatchObject({ replies: 400 });
      const owner = await ownerOf(t.id);
      expect(host.mail.outbox.filter((m) => m.to === owner && /folosit/.test(m.subject))).toHaveLength(1);
    });

    it('leaves the conversation with the bot when two runs of one job race for the last reply of the month', async () => {
      const { t, month } = await starterTenantThatUsed(10);
      await ask(t.account, 'How much is a pedicure?');
      // Undo that reply, so the same job can run again twice at once, as a redelivery racing the first delivery.
      const messages = host.runtime.cosmos.container('messages');
      const { resources } = await messages.items
        .query<MessageDoc>({
          query: 'SELECT * FROM c WHERE c.tenantId = @t',
          parameters: [{ name: '@t', value: t.id }],
        })
        .fetchAll();
      const inbound = resources.find((m) => m.direction === 'in') as MessageDoc;
      for (const m of resources)
        if (m.direction === 'out') await messages.item(m.id, t.id).delete();
        else await messages.item(m.id, t.id).patch([{ op: 'remove', path: '/answeredBy' }]);
      const conversations = host.runtime.cosmos.container('conversations');
      const conversation = (await conversations.item(inbound.conversationId, t.id).read()).resource;
      await conversations.items.upsert({ ...conversation, answeredThrough: 0 });
      const usage = host.runtime.cosmos.container('usage').item(`usage-${month}`, t.id);
      await usage.patch([{ op: 'set', path: '/replies', value: 499 }]);
      const owner = await ownerOf(t.id);
      const waitingBefore = host.mail.outbox.filter((m) => m.to === owner && /așteaptă/.test(m.subject)).length;
      const job = {
        tenantId: t.id,
        conversationId: inbound.conversationId,
        triggerTimestamp: inbound.timestamp,
        triggerMessageId: inbound.id,
      };
      await Promise.all([runReplyJob(host.runtime, job), runReplyJob(host.runtime, job)]);
      await settle();
      expect((await conversations.item(inbound.conversationId, t.id).read()).resource).toMatchObject({ state: 'bot' });
      expect((await usage.read()).resource).toMatchObject({ replies: 500 });
      expect(host.mail.outbox.filter((m) => m.to === owner && /așteaptă/.test(m.subject))).toHaveLength(waitingBefore);
    });

    it('counts every one of many answers claimed at once for one tenant, and never more than the plan', async () => {
      const { t, month } = await starterTenantThatUsed(460);
      const claims = await Promise.all(
        Array.from({ length: 50 }, () => claimReply(host.runtime, t.id, clock.now(), 500)),
      );
      expect(claims.filter((c) => c !== undefined)).toHaveLength(40);
      const usage = await host.runtime.cosmos.container('usage').item(`usage-${month}`, t.id).read();
      expect(usage.resource).toMatchObject({ replies: 500 });
    });
  });

  it('offers Checkout and the Customer Portal, and shows the plan, usage and invoices', async () => {
    const t = await billedTenant();
    const checkout = await api(host, t.owner, 'POST', '/api/v1/billing/checkout', { body: { plan: 'starter' } });
    expect(checkout.status).toBe(201);
    expect(checkout.body.url).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    expect(checkout.headers.get('location')).toBe(checkout.body.url);
    expect(host.stripe.checkoutSessions.at(-1)).toMatchObject({
      mode: 'subscription',
      client_reference_id: t.id,
      'line_items[0][price]': PRICE,
    });
    const portal = await api(host, t.owner, 'POST', '/api/v1/billing/portal');
    expect(portal.body.url).toMatch(/^https:\/\/billing\.stripe\.com\//);
    expect(portal.headers.get('location')).toBe(portal.body.url);
    const overview = await api(host, t.owner, 'GET', '/api/v1/billing');
    expect(overview.body.usage).toEqual({ replies: 0, limit: 100 });
    expect((await api(host, t.admin, 'GET', '/api/v1/billing')).status).toBe(403);
  });

  describe('§6 marketing consent and §11 Art. 21 objections', () => {
    it('records consent, unsubscribes in one click, and never mails marketing to someone who objected', async () => {
      const email = `prospect-${Date.now()}@example.com`;
      expect(
        (
          await api(host, undefined, 'POST', '/api/v1/marketing/subscribe', {
            body: { email, consent: false, source: 'website' },
          })
        ).status,
      ).toBe(400);
      await subscribeAndConfirm(host, email, settle);
      await enqueueEmail(host.runtime, {
        key: `news-1-${email}`,
        template: 'newsletter',
        language: 'en',
        to: email,
        data: { subject: 'December news', body: 'New features.' },
      });
      await settle();
      const mail = host.mail.outbox.find((m) => m.to === email && m.subject === 'December news');
      expect(mail?.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
      const url = /<(.+)>/.exec(mail?.headers['List-Unsubscribe'] ?? '')?.[1] as string;
      const path = new URL(url).pathname + new URL(url).search;
      expect((await api(host, undefined, 'POST', path)).body).toEqual({ unsubscribed: true });
      await enqueueEmail(host.runtime, {
        key: `news-2-${email}`,
        template: 'newsletter',
        language: 'en',
        to: email,
        data: { subject: 'January news', body: 'More.' },
      });
      await enqueueEmail(host.runtime, {
        key: `tx-${email}`,
        template: 'export_ready',
        language: 'en',
        to: email,
        data: { link: 'https://x', expiresAt: 'soon' },
      });
      await settle();
      expect(host.mail.outbox.filter((m) => m.to === email).map((m) => m.subject)).toEqual([
        'Confirm your subscription to Aliat news',
        'December news',
        'Your data export is ready',
      ]);
      expect((await api(host, undefined, 'GET', '/api/v1/marketing/unsubscribe?token=forged.token-value')).status).toBe(
        400,
      );
    });
  });

  it('§10 staff send a breach notice and it records each notification against the 48-hour promise', async () => {
    const t = await billedTenant();
    const staff = await host.auth.token({ sub: 'auth0|staff', role: 'staff', mfa: true });
    const knownAt = new Date(clock.now().getTime() - 3_600_000).toISOString();
    const res = await api(host, staff, 'POST', '/api/v1/staff/notices/breach', {
      body: {
        knownAt,
        description: 'A misconfigured export link was public for two hours.',
        measures: 'We revoked the link and rotated keys.',
        tenantIds: [t.id],
      },
    });
    expect(res.body).toMatchObject({ notified: 1, withinDeadline: true });
    await settle();
    expect(
      host.mail.outbox.filter((m) => m.subject === 'Important: un incident de securitate care vă afectează datele'),
    ).not.toHaveLength(0);
    const notice = (await host.runtime.cosmos.container('privacy').item(res.body.noticeId, res.body.noticeId).read())
      .resource;
    expect(notice.notifications).toEqual([{ tenantId: t.id, notifiedAt: expect.any(String) }]);
    const noMfa = await host.auth.token({ sub: 'auth0|staff', role: 'staff' });
    expect(
      (
        await api(host, noMfa, 'POST', '/api/v1/staff/notices/policy-change', {
          body: { effectiveOn: '2027-01-01', summary: 'Clearer retention table.' },
        })
      ).status,
    ).toBe(403);
  });
});
