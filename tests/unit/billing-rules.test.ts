import { describe, expect, it } from 'vitest';
import { entitlement } from '../../shared/billing/entitlement-rules.js';
import { thresholdsCrossed } from '../../shared/billing/plans.js';
import { billingRecordFromInvoice, cardFacts } from '../../shared/billing/records.js';
import { render, TEMPLATE_NAMES } from '../../shared/email/templates.js';
import { unsubscribeToken, verifyUnsubscribeToken } from '../../shared/email/unsubscribe.js';

const DAY = 86_400_000;
const base = { accountCreatedAt: '2026-11-01T00:00:00Z', graceDays: 7, trialDays: 14 };

describe('entitlement state machine', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  it('gives a new account a trial, then stops', () => {
    expect(entitlement({ ...base, accountCreatedAt: '2026-11-25T00:00:00Z' }, now)).toMatchObject({
      state: 'trial',
      entitled: true,
    });
    expect(entitlement(base, now)).toEqual({ state: 'trial_ended', entitled: false });
  });
  it('entitles trialing and active subscriptions', () => {
    expect(entitlement({ ...base, status: 'active' }, now).entitled).toBe(true);
    expect(entitlement({ ...base, status: 'trialing' }, now).entitled).toBe(true);
  });
  it('keeps a past-due subscription entitled through the grace period, then not', () => {
    const since = new Date(now.getTime() - 6 * DAY).toISOString();
    expect(entitlement({ ...base, status: 'past_due', pastDueSince: since }, now)).toMatchObject({
      state: 'past_due',
      entitled: true,
    });
    const longAgo = new Date(now.getTime() - 8 * DAY).toISOString();
    expect(entitlement({ ...base, status: 'past_due', pastDueSince: longAgo }, now)).toMatchObject({
      state: 'grace_ended',
      entitled: false,
    });
  });
  it('does not entitle canceled, unpaid, paused or incomplete subscriptions', () => {
    for (const status of ['canceled', 'unpaid', 'paused', 'incomplete', 'incomplete_expired'] as const)
      expect(entitlement({ ...base, status }, now).entitled, status).toBe(false);
  });
});

describe('plan limits', () => {
  it('crosses 80% and 100% once each', () => {
    expect(thresholdsCrossed(398, 399, 500)).toEqual([]);
    expect(thresholdsCrossed(399, 400, 500)).toEqual([80]);
    expect(thresholdsCrossed(499, 500, 500)).toEqual([100]);
    expect(thresholdsCrossed(500, 501, 500)).toEqual([]);
  });
});

describe('§5.4 billing records', () => {
  it('can never hold a full card number or CVC, even if a Stripe object carried one', () => {
    const pm = {
      type: 'card',
      card: { brand: 'visa', last4: '4242', number: '4242424242424242', cvc: '123', exp_month: 12 },
    };
    const invoice = {
      id: 'in_1',
      number: 'INV-7',
      status: 'paid',
      amount_due: 4900,
      amount_paid: 4900,
      currency: 'ron',
      created: 1_788_254_048,
      customer_address: { country: 'RO', line1: 'Strada X 1' },
      card_number: '4242424242424242',
      payment_intent: { payment_method: pm },
    };
    const record = billingRecordFromInvoice('t1', invoice, cardFacts(pm), new Date());
    const text = JSON.stringify(record);
    expect(text).not.toContain('4242424242424242');
    expect(text).not.toContain('"123"');
    expect(text).not.toContain('Strada');
    expect(record).toMatchObject({
      invoiceNumber: 'INV-7',
      cardBrand: 'visa',
      last4: '4242',
      billingCountry: 'RO',
      paymentMethodType: 'card',
      amountPaid: 4900,
    });
    expect(cardFacts({ type: 'card', card: { last4: '42424242' } }).last4).toBeUndefined();
  });
});

describe('email templates', () => {
  const data = {
    name: 'Ana',
    company: 'Salon',
    amount: '49 RON',
    graceUntil: '2026-12-08',
    channel: '@salon',
    reason: 'asked_for_human',
    used: 400,
    limit: 500,
    completeBy: '2026-12-31',
    completedAt: '2026-12-02',
    receipt: 'abc',
    link: 'https://x',
    expiresAt: '2026-12-03',
    knownAt: '2026-12-01 10:00',
    description: 'what happened',
    measures: 'what we do',
    effectiveOn: '2027-01-01',
    summary: 'changes',
    records: 3,
    subject: 'News',
    body: 'Hello',
    role: 'agent',
  };
  for (const name of TEMPLATE_NAMES) {
    it(`renders ${name} in English and Romanian`, () => {
      const en = render(name, 'en', data);
      const ro = render(name, 'ro', data);
      expect(en.subject.length).toBeGreaterThan(3);
      expect(ro.text).toMatch(/Echipa Aliat$/);
      expect(en.text).toMatch(/The Aliat team$/);
      if (name !== 'newsletter') expect(ro.subject).not.toBe(en.subject);
    });
  }
  it('refuses to render with missing data', () => {
    expect(() => render('welcome', 'en', {})).toThrow(/missing data/);
  });
  it('signs unsubscribe tokens', () => {
    const token = unsubscribeToken('Ana@Example.com', 'secret-secret-secret');
    expect(verifyUnsubscribeToken(token, 'secret-secret-secret')).toMatch(/^em_/);
    expect(verifyUnsubscribeToken(token, 'another-secret-xxxxx')).toBeUndefined();
    expect(verifyUnsubscribeToken(`${token.slice(0, -2)}xx`, 'secret-secret-secret')).toBeUndefined();
  });
});
