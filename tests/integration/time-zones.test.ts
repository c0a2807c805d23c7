import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import type { TenantDoc } from '../../shared/accounts/tenants.js';
import { configureLog } from '../../shared/platform/log.js';
import { QUEUES } from '../../shared/platform/queues.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { makeTenant } from '../helpers/tenants.js';

/**
 * Values that are not IANA time zone names: unknown zones, offsets, control characters, markup, paths, sizes, types.
 */
const BAD_TIME_ZONES: unknown[] = [
  'Mars/Olympus_Mons',
  'Europe/Bucharest\u0000',
  'Europe/Bucharest\r\nX-Injected: 1',
  '<script>alert(1)</script>',
  'Europe/<b>Paris</b>',
  '',
  ' ',
  '+01:00',
  'GMT+2 ',
  '../../etc/passwd',
  'Europe/Bucharest/Extra/Deep',
  'A'.repeat(65),
  `Europe/${'x'.repeat(5000)}`,
  42,
  null,
  ['Europe/Bucharest'],
];
const GOOD_TIME_ZONES = [
  'Europe/Bucharest',
  'UTC',
  'Europe/London',
  'America/Argentina/Salta',
  'Etc/GMT+2',
  'Asia/Kolkata',
];

describe('issue 12 defect 4: time zones are IANA names wherever they enter, and a bad stored one never stops the bot', () => {
  let host: LocalHost;
  beforeAll(async () => {
    host = await startTestHost({ values: { BURST_WAIT_MS: '20' } });
  });
  afterAll(async () => host?.stop());

  it('PUT /api/v1/settings/bot refuses every non-IANA time zone with a 400 problem naming timeZone, and accepts real ones', async () => {
    const t = await makeTenant(host);
    const current = (await api(host, t.owner, 'GET', '/api/v1/settings/bot')).body;
    for (const timeZone of BAD_TIME_ZONES) {
      const res = await api(host, t.owner, 'PUT', '/api/v1/settings/bot', { body: { ...current, timeZone } });
      expect(res.status, JSON.stringify(timeZone).slice(0, 40)).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('timeZone');
    }
    expect((await api(host, t.owner, 'GET', '/api/v1/settings/bot')).body.timeZone).toBe(current.timeZone);
    for (const timeZone of GOOD_TIME_ZONES) {
      const res = await api(host, t.owner, 'PUT', '/api/v1/settings/bot', { body: { ...current, timeZone } });
      expect(res.status, timeZone).toBe(200);
    }
  });

  it("the owner's profile (PATCH /api/v1/account) and sign-up refuse the same class", async () => {
    const t = await makeTenant(host);
    for (const timeZone of BAD_TIME_ZONES) {
      const res = await api(host, t.owner, 'PATCH', '/api/v1/account', { body: { owner: { timeZone } } });
      expect(res.status, JSON.stringify(timeZone).slice(0, 40)).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    const newcomer = await host.auth.signCustom({
      sub: `auth0|tz-${Date.now()}`,
      email: 'ana@example.com',
      iss: host.auth.issuer,
      aud: host.runtime.settings.AUTH_AUDIENCE,
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    for (const timeZone of BAD_TIME_ZONES.slice(0, 5)) {
      const res = await api(host, newcomer, 'POST', '/api/v1/account', {
        body: {
          owner: { name: 'Ana', email: 'ana@example.com', preferredLanguage: 'ro', timeZone },
          company: { name: 'Salon TZ', country: 'RO', businessType: 'salon' },
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('owner.timeZone');
    }
  });

  it('a bad time zone written straight into storage: replies still go out, the playground answers, settings read the safe default, and the cause is logged without personal data', async () => {
    const t = await makeTenant(host, { kb: true });
    const container = host.runtime.cosmos.container('tenants');
    const { resource } = await container.item(t.id, t.id).read<TenantDoc>();
    await container.item(t.id, t.id).replace({
      ...resource,
      bot: { ...resource?.bot, timeZone: 'Mars/Olympus_Mons', businessHours: { '1': { open: 'late', close: 42 } } },
    });
    const lines: string[] = [];
    configureLog({ level: 'info', sink: (line) => lines.push(line) });
    try {
      const userId = `9${Date.now()}`;
      // One question the knowledge base answers, one that hands off (and so reads the opening hours).
      await postWebhook(
        host.url,
        dm({ object: 'instagram', accountId: t.account, userId, text: 'How much is a pedicure?' }),
        host.runtime.settings.META_APP_SECRET,
      );
      await host.broker.whenIdle();
      await host.graph.echoesDelivered();
      await host.broker.whenIdle();
      const other = `8${Date.now()}`;
      await postWebhook(
        host.url,
        dm({
          object: 'instagram',
          accountId: t.account,
          userId: other,
          text: 'I want to talk to a real person please',
        }),
        host.runtime.settings.META_APP_SECRET,
      );
      await host.broker.whenIdle();
      expect(
        host.graph
          .messages()
          .filter((m) => m.recipient === userId)
          .map((m) => m.text),
      ).toEqual([expect.stringMatching(/130 RON/)]);
      expect(
        host.graph
          .messages()
          .filter((m) => m.recipient === other)
          .map((m) => m.text),
      ).toEqual([expect.stringMatching(/colleague/)]);
      expect(host.broker.deadLetters(QUEUES.replies.name)).toHaveLength(0);
      const playground = await api(host, t.owner, 'POST', '/api/v1/playground/replies', {
        body: { question: 'Can I speak to a human?' },
      });
      expect(playground.status).toBe(200);
      expect(playground.body.handoff).toBe(true);
      const settings = await api(host, t.owner, 'GET', '/api/v1/settings/bot');
      expect(settings.status).toBe(200);
      expect(settings.body.timeZone).toBe('Europe/Bucharest');
      const repaired = lines
        .map((l) => JSON.parse(l))
        .filter((l) => l.event === 'tenant.bot_settings_repaired' && l.tenantId === t.id);
      expect(repaired.length).toBeGreaterThan(0);
      expect(repaired[0].fields).toEqual(['timeZone', 'businessHours']);
      expect(lines.join('\n')).not.toContain('Mars/Olympus_Mons');
    } finally {
      configureLog({ level: host.runtime.settings.LOG_LEVEL, sink: (line) => process.stdout.write(`${line}\n`) });
    }
  });
});
