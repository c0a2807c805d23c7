import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { QUEUES } from '../../shared/platform/queues.js';
import { runPrivacyJob } from '../../shared/privacy/jobs.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { makeTenant } from '../helpers/tenants.js';

const MINUTE = 60_000;

describe('account deletion: the second pass', () => {
  let host: LocalHost;
  const clock = {
    offset: 0,
    now() {
      return new Date(Date.now() + this.offset);
    },
  };
  const advance = (minutes: number) => {
    clock.offset += minutes * MINUTE;
    host.broker.wake();
  };

  beforeAll(async () => {
    host = await startTestHost({ clock, values: { BURST_WAIT_MS: '0', ACCOUNT_SWEEP_DELAY_MS: String(15 * MINUTE) } });
  });
  afterAll(async () => host?.stop());

  const knowledgeOf = async (tenantId: string) =>
    (
      await host.runtime.cosmos
        .container('knowledge')
        .items.query({ query: 'SELECT * FROM c WHERE c.tenantId = @t', parameters: [{ name: '@t', value: tenantId }] })
        .fetchAll()
    ).resources as Array<Record<string, unknown>>;

  async function tenantToDelete() {
    const email = `owner-${Date.now()}${Math.floor(Math.random() * 1000)}@sweep.example`;
    const t = await makeTenant(host, {
      kb: true,
      extra: { owner: { name: 'Owner', email, preferredLanguage: 'en', timeZone: 'Europe/Bucharest' } },
    });
    const tenant = (await host.runtime.cosmos.container('tenants').item(t.id, t.id).read()).resource as {
      companyName: string;
    };
    return { ...t, email, company: tenant.companyName };
  }

  it('§12.1 erases what a request already under way wrote after the first pass, 15 minutes later', async () => {
    const t = await tenantToDelete();
    const entry = (await knowledgeOf(t.id)).find((d) => d.type === 'kb-entry');
    expect(entry).toBeDefined();
    expect(
      (await api(host, t.owner, 'DELETE', '/api/v1/account', { body: { confirm: `DELETE ${t.company}` } })).status,
    ).toBe(202);
    await vi.waitFor(
      () =>
        expect(
          host.mail.outbox.some((m) => m.to === t.email && m.subject === 'Your Aliat account has been deleted'),
        ).toBe(true),
      { timeout: 20_000, interval: 50 },
    );
    expect(await knowledgeOf(t.id)).toEqual([]);
    expect(host.broker.depth(QUEUES.privacyJobs.name).scheduled).toBe(1);

    // An edit that passed the access check just before the deletion began lands now.
    const { _rid, _self, _etag, _attachments, _ts, ...late } = entry as Record<string, unknown>;
    await host.runtime.cosmos.container('knowledge').items.create(late);
    expect(await knowledgeOf(t.id)).toHaveLength(1);

    advance(14);
    await new Promise((r) => setTimeout(r, 200));
    expect(await knowledgeOf(t.id)).toHaveLength(1);

    advance(2);
    await host.broker.whenIdle();
    expect(await knowledgeOf(t.id)).toEqual([]);
    expect(host.broker.depth(QUEUES.privacyJobs.name).scheduled).toBe(0);
  });

  it('§12.1 never touches an account that is live', async () => {
    const t = await tenantToDelete();
    const before = await knowledgeOf(t.id);
    expect(before.length).toBeGreaterThan(0);
    await runPrivacyJob(host.runtime, { kind: 'account-sweep', tenantId: t.id });
    expect(await knowledgeOf(t.id)).toHaveLength(before.length);
    expect((await host.runtime.cosmos.container('tenants').item(t.id, t.id).read()).resource).toMatchObject({
      status: 'active',
    });
  });
});
