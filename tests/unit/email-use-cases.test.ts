import { describe, expect, it } from 'vitest';
import { defaultBotSettings } from '../../shared/accounts/bot-settings.js';
import { memoryTenantRepository } from '../../shared/accounts/tenant-repository.js';
import type { AuditEntry } from '../../shared/audit/index.js';
import { type BreachNoticeDoc, sendBreachNotice, sendPolicyNotice } from '../../shared/email/customer-notices.js';
import { memoryEmailDedupRepository, sentRecordId } from '../../shared/email/email-dedup-repository.js';
import type { EmailDeps } from '../../shared/email/email-deps.js';
import { confirmSubscription, requestSubscription, unsubscribe } from '../../shared/email/marketing-consent.js';
import { marketingRefusal } from '../../shared/email/marketing-refusal.js';
import { memoryMarketingRepository } from '../../shared/email/marketing-repository.js';
import type { EmailJob } from '../../shared/email/outbox.js';
import { emailKey, unsubscribeToken } from '../../shared/email/unsubscribe.js';
import { InvalidInputError } from '../../shared/platform/domain-errors.js';

const SECRET = 'test-link-secret-0123456789abcdef';

function world() {
  let now = new Date('2026-03-01T10:00:00Z');
  const emails: EmailJob[] = [];
  const deps: EmailDeps = {
    marketing: memoryMarketingRepository(),
    dedup: memoryEmailDedupRepository(),
    clock: { now: () => new Date(now) },
    sendEmail: async (job) => {
      emails.push(job);
    },
    publicBaseUrl: 'https://api.example',
    linkSecret: SECRET,
  };
  const tokenOfLastMail = () => String(emails.at(-1)?.data?.link).split('token=')[1] as string;
  return { deps, emails, tokenOfLastMail, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('marketing consent use-cases on memory repositories', () => {
  it('records consent only when the mailed link is opened, once, and lifts an earlier objection then', async () => {
    const w = world();
    await w.deps.marketing.recordObjection(emailKey('ana@x.example'), '2026-01-01T00:00:00Z');
    expect(await requestSubscription(w.deps, { email: ' Ana@X.example ', source: 'website', language: 'ro' })).toEqual({
      subscribed: false,
      confirmationSent: true,
    });
    expect(w.emails).toMatchObject([{ template: 'marketing_confirmation', to: 'ana@x.example', language: 'ro' }]);
    expect(await w.deps.marketing.getProspect(emailKey('ana@x.example'))).toBeUndefined();
    expect(await w.deps.marketing.hasObjected(emailKey('ana@x.example'))).toBe(true);

    const token = w.tokenOfLastMail();
    expect(await confirmSubscription(w.deps, token)).toEqual({ subscribed: true });
    expect(await w.deps.marketing.getProspect(emailKey('ana@x.example'))).toMatchObject({
      email: 'ana@x.example',
      source: 'website',
      confirmedVia: 'double-opt-in',
      consentAt: '2026-03-01T10:00:00.000Z',
    });
    expect(await w.deps.marketing.hasObjected(emailKey('ana@x.example'))).toBe(false);
    const reused = await confirmSubscription(w.deps, token).catch((e) => e);
    expect(reused).toBeInstanceOf(InvalidInputError);
    expect(reused.message).toBe('The confirmation link was already used or has expired.');
  });

  it('refuses an expired or forged confirmation link', async () => {
    const w = world();
    await requestSubscription(w.deps, { email: 'a@x.example', source: 'website', language: 'en' });
    const token = w.tokenOfLastMail();
    await expect(confirmSubscription(w.deps, `${token.slice(0, -2)}xx`)).rejects.toThrow(
      'The confirmation link is not valid.',
    );
    w.advance(49 * 3_600_000);
    await expect(confirmSubscription(w.deps, token)).rejects.toThrow(
      'The confirmation link has expired; subscribe again.',
    );
  });

  it('unsubscribes at once: objection recorded, consent withdrawn; a bad token is invalid input', async () => {
    const w = world();
    await requestSubscription(w.deps, { email: 'b@x.example', source: 'fair', language: 'en' });
    await confirmSubscription(w.deps, w.tokenOfLastMail());
    await expect(unsubscribe(w.deps, 'em_nope.sig-nope')).rejects.toThrow(InvalidInputError);
    expect(await unsubscribe(w.deps, unsubscribeToken('b@x.example', SECRET))).toEqual({ unsubscribed: true });
    const key = emailKey('b@x.example');
    expect(await w.deps.marketing.hasObjected(key)).toBe(true);
    expect((await w.deps.marketing.getProspect(key))?.withdrawnAt).toBe('2026-03-01T10:00:00.000Z');
    // Erasing the address keeps the objection, which holds no personal data.
    expect(await w.deps.marketing.forgetSubject(key)).toBe(1);
    expect(await w.deps.marketing.getProspect(key)).toBeUndefined();
    expect(await w.deps.marketing.hasObjected(key)).toBe(true);
  });

  it('sends marketing only to an owner (soft opt-in) or a consenting prospect, never after an objection', async () => {
    const marketing = memoryMarketingRepository();
    const tenants = memoryTenantRepository(defaultBotSettings());
    const tenant = {
      id: 'tn_a',
      tenantId: 'tn_a',
      type: 'tenant' as const,
      companyName: 'A',
      status: 'active' as const,
      bot: defaultBotSettings(),
      createdAt: '2026-01-01T00:00:00Z',
      owner: { name: 'O', email: 'owner@a.example', preferredLanguage: 'en' as const, timeZone: 'UTC' },
    };
    await tenants.create(tenant);
    const deps = { marketing, tenants };
    expect(await marketingRefusal(deps, { to: 'Owner@A.example', tenantId: 'tn_a' })).toBeUndefined();
    // The soft opt-in is the owner of the tenant named, not of another.
    expect(await marketingRefusal(deps, { to: 'owner@a.example', tenantId: 'tn_b' })).toBe('no_consent');
    expect(await marketingRefusal(deps, { to: 'p@x.example' })).toBe('no_consent');
    await marketing.recordConsent({ id: emailKey('p@x.example'), type: 'prospect', consentAt: '2026-01-01' });
    expect(await marketingRefusal(deps, { to: 'p@x.example' })).toBeUndefined();
    await marketing.recordObjection(emailKey('owner@a.example'), '2026-02-01');
    expect(await marketingRefusal(deps, { to: 'owner@a.example', tenantId: 'tn_a' })).toBe('objection');
    await tenants.update('tn_a', (t) => ({ ...t, status: 'closed' }));
    await marketing.liftObjection(emailKey('owner@a.example'));
    expect(await marketingRefusal(deps, { to: 'owner@a.example', tenantId: 'tn_a' })).toBe('no_consent');
  });
});

describe('email records in dedup', () => {
  it('claims a send once, and hands a pending subscription out once', async () => {
    const dedup = memoryEmailDedupRepository();
    const claim = {
      id: sentRecordId('k'),
      type: 'email-sent' as const,
      status: 'sending' as const,
      template: 'welcome',
      claimedAt: 'now',
      ttl: 60,
    };
    expect(await dedup.claimSend(claim)).toBe(true);
    expect(await dedup.claimSend(claim)).toBe(false);
    await dedup.putSend({ ...claim, status: 'sent' });
    expect((await dedup.getSend('k'))?.status).toBe('sent');
    await dedup.releaseSend('k');
    expect(await dedup.getSend('k')).toBeUndefined();
  });
});

describe('staff notices', () => {
  async function noticeWorld() {
    const tenants = memoryTenantRepository(defaultBotSettings());
    const base = {
      type: 'tenant' as const,
      bot: defaultBotSettings(),
      createdAt: '2026-01-01T00:00:00Z',
      status: 'active' as const,
    };
    const ownerOf = (n: string) => ({
      name: n,
      email: `${n}@x.example`,
      preferredLanguage: 'ro' as const,
      timeZone: 'UTC',
    });
    await tenants.create({ ...base, id: 'tn_a', tenantId: 'tn_a', companyName: 'A', owner: ownerOf('a') });
    await tenants.create({ ...base, id: 'tn_b', tenantId: 'tn_b', companyName: 'B', owner: ownerOf('b') });
    await tenants.create({
      ...base,
      id: 'tn_c',
      tenantId: 'tn_c',
      companyName: 'C',
      status: 'deleting',
      owner: ownerOf('c'),
    });
    await tenants.create({ ...base, id: 'tn_d', tenantId: 'tn_d', companyName: 'D' });
    const emails: EmailJob[] = [];
    const audits: AuditEntry[] = [];
    const notices: BreachNoticeDoc[] = [];
    const deps = {
      tenants,
      sendEmail: async (job: EmailJob) => {
        emails.push(job);
      },
      audit: async (entry: AuditEntry) => {
        audits.push(entry);
      },
      clock: { now: () => new Date('2026-03-02T10:00:00Z') },
      recordBreachNotice: async (doc: BreachNoticeDoc) => {
        notices.push(doc);
      },
    };
    return { deps, emails, audits, notices };
  }
  const staff = { sub: 'auth0|staff', role: 'staff' as const };

  it('tells the owners of the named tenants of a breach, and records when against the 48 hours', async () => {
    const w = await noticeWorld();
    const answer = await sendBreachNotice(w.deps, staff, {
      knownAt: '2026-03-01T12:00:00Z',
      description: 'A laptop was stolen.',
      measures: 'Keys were rotated.',
      tenantIds: ['tn_b', 'tn_c'],
    });
    expect(answer).toMatchObject({ notified: 1, deadline: '2026-03-03T12:00:00.000Z', withinDeadline: true });
    expect(w.emails).toMatchObject([
      { template: 'breach_notice', to: 'b@x.example', tenantId: 'tn_b', language: 'ro' },
    ]);
    expect(w.notices[0]?.notifications).toEqual([{ tenantId: 'tn_b', notifiedAt: '2026-03-02T10:00:00.000Z' }]);
    expect(w.audits).toMatchObject([{ tenantId: '_platform', details: { notified: 1 } }]);
  });

  it('refuses a policy change on less than 30 days’ notice unless the law requires it', async () => {
    const w = await noticeWorld();
    const early = await sendPolicyNotice(w.deps, staff, {
      effectiveOn: '2026-03-20',
      summary: 'New processor.',
      requiredByLaw: false,
    }).catch((e) => e);
    expect(early).toBeInstanceOf(InvalidInputError);
    expect(early.errors).toEqual([{ field: 'effectiveOn', message: 'must be on or after 2026-04-01' }]);
    expect(
      await sendPolicyNotice(w.deps, staff, { effectiveOn: '2026-03-20', summary: 'Law.', requiredByLaw: true }),
    ).toEqual({ notified: 2 });
    expect(w.emails.map((e) => e.to).sort()).toEqual(['a@x.example', 'b@x.example']);
  });
});
