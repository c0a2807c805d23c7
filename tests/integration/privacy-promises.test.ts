import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { contactIdOf } from '../../shared/contacts/ids.js';
import { enqueueEmail } from '../../shared/email/outbox.js';
import { emailKey } from '../../shared/email/unsubscribe.js';
import { keyedRef } from '../../shared/platform/crypto.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { subscribeAndConfirm } from '../helpers/marketing.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { makeTenant } from '../helpers/tenants.js';

describe('promises of the policy the code used to contradict', () => {
  let host: LocalHost;
  const settle = async () => {
    for (let i = 0; i < 3; i++) await host.broker.whenIdle();
  };
  beforeAll(async () => {
    host = await startTestHost({ values: { BURST_WAIT_MS: '0' } });
  });
  afterAll(async () => host?.stop());

  it("§16 a policy change needs 30 days' notice: tomorrow is refused with a problem that says why, unless the law requires it", async () => {
    const staff = await host.auth.token({ sub: 'auth0|staff', role: 'staff', mfa: true });
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const tomorrow = await api(host, staff, 'POST', '/api/v1/staff/notices/policy-change', {
      body: { effectiveOn: day(1), summary: 'Clearer retention table.' },
    });
    expect(tomorrow.status).toBe(400);
    expect(tomorrow.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(tomorrow.body)).toMatch(/30 days/);
    expect(tomorrow.body.errors?.[0]?.field ?? JSON.stringify(tomorrow.body)).toMatch(/effectiveOn/);
    expect(
      (
        await api(host, staff, 'POST', '/api/v1/staff/notices/policy-change', {
          body: { effectiveOn: day(29), summary: 'Clearer retention table.' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await api(host, staff, 'POST', '/api/v1/staff/notices/policy-change', {
          body: { effectiveOn: day(31), summary: 'Clearer retention table.' },
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await api(host, staff, 'POST', '/api/v1/staff/notices/policy-change', {
          body: { effectiveOn: day(1), summary: 'A change the law requires now.', requiredByLaw: true },
        })
      ).status,
    ).toBe(202);
    const { resources } = await host.runtime.cosmos
      .container('audit')
      .items.query("SELECT * FROM c WHERE c.tenantId = '_platform' AND c.details.action = 'policy_notice'")
      .fetchAll();
    expect(resources.every((a) => a.target?.type === 'policy-notice')).toBe(true);
  });

  it('§6 marketing is checked for consent at send time: no consent, withdrawn consent or an objection means no mail; a Customer gets the soft opt-in', async () => {
    const news = (to: string, tenantId?: string) =>
      enqueueEmail(host.runtime, {
        key: `news-${randomUUID()}`,
        template: 'newsletter',
        language: 'en',
        to,
        ...(tenantId ? { tenantId } : {}),
        data: { subject: `News for ${to}`, body: 'New features.' },
      });
    const stranger = `stranger-${randomUUID().slice(0, 6)}@example.com`;
    const prospect = `prospect-${randomUUID().slice(0, 6)}@example.com`;
    const withdrawn = `withdrawn-${randomUUID().slice(0, 6)}@example.com`;
    for (const email of [prospect, withdrawn]) await subscribeAndConfirm(host, email, settle);
    const key = emailKey(withdrawn);
    await host.runtime.cosmos
      .container('marketing')
      .item(key, key)
      .patch([{ op: 'set', path: '/withdrawnAt', value: new Date().toISOString() }]);
    const ownerEmail = `owner-${randomUUID().slice(0, 6)}@salon.example`;
    const t = await makeTenant(host, {
      extra: { owner: { name: 'Soft Opt', email: ownerEmail, preferredLanguage: 'en', timeZone: 'UTC' } },
    });
    for (const [to, tenantId] of [[stranger], [prospect], [withdrawn], [ownerEmail, t.id], [stranger, t.id]] as Array<
      [string, string?]
    >)
      await news(to, tenantId);
    await settle();
    const got = (to: string) => host.mail.outbox.filter((m) => m.to === to && m.subject.startsWith('News')).length;
    expect({
      stranger: got(stranger),
      prospect: got(prospect),
      withdrawn: got(withdrawn),
      customer: got(ownerEmail),
    }).toEqual({ stranger: 0, prospect: 1, withdrawn: 0, customer: 1 });
  });

  it('§10 audit entries name people only by keyed hashes, and staff entries carry a target', async () => {
    const t = await makeTenant(host);
    const userId = `2${Date.now()}`;
    await postWebhook(
      host.url,
      dm({ object: 'instagram', accountId: t.account, userId, text: 'hello' }),
      host.runtime.settings.META_APP_SECRET,
    );
    await settle();
    const contactId = contactIdOf('instagram', t.account, userId);
    expect((await api(host, t.owner, 'DELETE', `/api/v1/contacts/${contactId}`)).status).toBe(204);
    const { resources } = await host.runtime.cosmos
      .container('audit')
      .items.query({
        query: "SELECT * FROM c WHERE c.tenantId = @t AND c.action = 'contact.delete'",
        parameters: [{ name: '@t', value: t.id }],
      })
      .fetchAll();
    expect(resources).toHaveLength(1);
    expect(resources[0].target).toEqual({
      type: 'contact',
      id: keyedRef(host.runtime.settings.PSEUDONYM_KEY, 'contact', contactId),
      keyed: true,
    });
    expect(JSON.stringify(resources)).not.toContain(contactId);
    // Not a plain hash: a different key gives a different id.
    expect(keyedRef('another-key-of-at-least-32-characters!!', 'contact', contactId)).not.toBe(resources[0].target.id);
    const staff = await host.auth.token({ sub: 'auth0|staff', role: 'staff', mfa: true });
    await api(host, staff, 'POST', '/api/v1/staff/privacy/end-user-deletions', { body: { platformUserId: userId } });
    await settle();
    const { resources: staffEntries } = await host.runtime.cosmos
      .container('audit')
      .items.query("SELECT * FROM c WHERE c.tenantId = '_platform' AND c.action = 'staff.action'")
      .fetchAll();
    expect(staffEntries.length).toBeGreaterThan(0);
    for (const e of staffEntries)
      expect(e.target, JSON.stringify(e.details)).toMatchObject({ type: expect.any(String), id: expect.any(String) });
  });
});
