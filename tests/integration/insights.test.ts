import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import type { ConversationDoc, MessageDoc } from '../../shared/conversations/documents.js';
import { runInsightsJob } from '../../shared/insights/insights-job.js';
import { rebuildTenant } from '../../shared/insights/rebuild.js';
import type { HandoffReason, ReplyGenerator, ReplyRequest, ReplyResult } from '../../shared/replies/generator.js';
import { api } from '../helpers/api.js';
import { OWNER_SET_BOT_HOURS } from '../helpers/bot-hours.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { makeTenant } from '../helpers/tenants.js';

/** Answers unless the question carries "#reason", then hands off for that reason. */
class ScriptedGenerator implements ReplyGenerator {
  async generate(request: ReplyRequest): Promise<ReplyResult> {
    const text = request.inbound.map((m) => m.text ?? '').join(' ');
    const reason = /#(\w+)/.exec(text)?.[1];
    if (reason)
      return {
        text: 'A colleague will answer you soon.',
        handoff: true,
        lineage: { generator: 'scripted', passageIds: [], confidence: 0, handoffReason: reason as HandoffReason },
      };
    return {
      text: `Answer: ${text}`,
      handoff: false,
      lineage: { generator: 'scripted', passageIds: [], confidence: 0.9 },
    };
  }
}

/** Local time in Bucharest (UTC+2 in November) as an instant. */
const local = (s: string) => Date.parse(`${s.replace(' ', 'T')}:00+02:00`);

describe('insights', () => {
  let host: LocalHost;
  let realGenerator: ReplyGenerator;
  // A clock that stands still until the test moves it: every figure below is exact.
  const clock = {
    t: local('2026-11-02 08:00'),
    now() {
      return new Date(this.t);
    },
  };
  const setTime = (s: string) => {
    clock.t = local(s);
  };

  async function settle() {
    for (let i = 0; i < 3; i++) {
      await host.broker.whenIdle();
      await host.graph.echoesDelivered();
    }
  }

  /**
   * People writing to a tenant's Instagram account, and staff answering them from Meta's own inbox
   * (an echo from another app). `delayMs`: how long before it reached us Meta timestamped each message.
   */
  function customers(account: () => string, tag: string, idPrefix: string, delayMs = 0) {
    const users: Record<string, string> = {};
    let n = 0;
    async function say(who: string, text: string) {
      users[who] ??= `${idPrefix}${Date.now()}${++n}`;
      const userId = users[who] as string;
      const mid = `${tag}_${who}_${clock.t}`;
      const body = dm({ object: 'instagram', accountId: account(), userId, text, timestamp: clock.t - delayMs, mid });
      await postWebhook(host.url, body, host.runtime.settings.META_APP_SECRET);
      await settle();
    }
    async function inboxReply(who: string, text: string) {
      const echo = { mid: `${tag}echo_${who}_${clock.t}`, text, is_echo: true, app_id: 263902037430900 };
      const messaging = [
        { sender: { id: account() }, recipient: { id: users[who] }, timestamp: clock.t, message: echo },
      ];
      const body = JSON.stringify({ object: 'instagram', entry: [{ id: account(), time: clock.t, messaging }] });
      await postWebhook(host.url, body, host.runtime.settings.META_APP_SECRET);
      await settle();
    }
    return { users, say, inboxReply };
  }

  beforeAll(async () => {
    host = await startTestHost({ clock });
    realGenerator = host.runtime.replyGenerator;
  });
  afterAll(async () => {
    if (host) host.runtime.replyGenerator = realGenerator;
    await host?.stop();
  });

  describe('figures of a scripted week', () => {
    let t: Awaited<ReturnType<typeof makeTenant>>;
    // Meta timestamps each message 4 s before it reaches us: that is the bot's response time.
    const { users, say, inboxReply } = customers(() => t.account, 'm', '81', 4000);

    async function conversationOf(who: string): Promise<ConversationDoc> {
      const { resources } = await host.runtime.cosmos
        .container('conversations')
        .items.query<ConversationDoc>({
          query: 'SELECT * FROM c WHERE c.tenantId = @t',
          parameters: [{ name: '@t', value: t.id }],
        })
        .fetchAll();
      const contacts = await host.runtime.cosmos
        .container('contacts')
        .items.query<{ id: string; platformUserId: string }>(
          `SELECT c.id, c.platformUserId FROM c WHERE c.tenantId = '${t.id}'`,
        )
        .fetchAll();
      const contact = contacts.resources.find((c) => c.platformUserId === users[who]);
      return resources.find((c) => c.contactId === contact?.id) as ConversationDoc;
    }

    const week = 'from=2026-11-02&to=2026-11-08';

    beforeAll(async () => {
      host.runtime.replyGenerator = new ScriptedGenerator();
      t = await makeTenant(host, { bot: { burstWaitMs: 0, businessHours: OWNER_SET_BOT_HOURS } });

      // Monday: A asks and is answered; B asks and is answered.
      setTime('2026-11-02 09:00');
      await say('A', 'What are your opening hours?');
      setTime('2026-11-02 10:00');
      await say('B', 'Do you do gel nails?');
    });

    it('counts nothing as resolved while the window is open (B looks resolved)', async () => {
      setTime('2026-11-02 23:00');
      const res = await api(host, t.owner, 'GET', `/api/v1/insights/overview?${week}`);
      expect(res.status).toBe(200);
      expect(res.body.figures).toMatchObject({
        conversationsStarted: 2,
        messagesIn: 2,
        messagesOut: { bot: 2, human: 0 },
        resolution: { resolved: 0, unresolved: 0, rate: null },
      });
    });

    it('gives known figures for the week, with every handoff reason and the conversation that came back', async () => {
      // Tuesday 08:00, 22 h after the bot's answer: B comes back and asks for a person; one answers at 09:30.
      setTime('2026-11-03 08:00');
      await say('B', 'I want to talk to a human please #asked_for_human');
      setTime('2026-11-03 09:30');
      const b = await conversationOf('B');
      expect(
        (
          await api(host, t.agent, 'POST', `/api/v1/conversations/${b.id}/messages`, {
            body: { text: 'Hi, Ioana here. Yes we do!' },
          })
        ).status,
      ).toBe(202);
      await settle();
      setTime('2026-11-03 11:00');
      await say('C', 'Is the blue dye safe for me #low_confidence');
      setTime('2026-11-04 12:00');
      await say('D', 'Do you do eyelash extensions #no_clear_match');
      // Wednesday 15:00: H asks twice and is answered twice; nothing else: resolved.
      setTime('2026-11-04 15:00');
      await say('H', 'Do you sell gift cards?');
      setTime('2026-11-04 15:05');
      await say('H', 'And can I pay by card?');
      setTime('2026-11-05 12:00');
      await say('E', 'something rude #content_filter');
      // Friday 17:50, ten minutes before closing: handed off; a person answers from Meta's inbox on
      // Saturday 10:05, five minutes after opening: 15 business minutes.
      setTime('2026-11-06 17:50');
      await say('F', 'Can I come at 21:00 tonight? #outside_hours');
      setTime('2026-11-07 10:05');
      await inboxReply('F', 'Sorry, we close at 18:00.');

      setTime('2026-11-09 12:00');
      await host.fireTimer('insights-settle');
      const res = await api(host, t.owner, 'GET', `/api/v1/insights/overview?${week}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        from: '2026-11-02',
        to: '2026-11-08',
        timeZone: 'Europe/Bucharest',
        channel: 'all',
      });
      expect(res.body.figures).toEqual({
        conversationsStarted: 7,
        messagesIn: 9,
        messagesOut: { bot: 9, human: 2, total: 11 },
        resolution: {
          resolved: 2,
          unresolved: 5,
          rate: 2 / 7,
          windowHours: 24,
          definition: expect.stringContaining('no new message within the window'),
        },
        handoffs: {
          total: 5,
          byReason: {
            asked_for_human: 1,
            low_confidence: 1,
            no_match: 1,
            content_filter: 1,
            outside_hours: 1,
            quota: 0,
            takeover: 0,
            other: 0,
          },
        },
        firstResponse: { botAvgMs: 4000, botCount: 7, humanBusinessHoursAvgMs: (30 + 15) * 30_000, humanCount: 2 },
      });
      expect(res.body.replies).toMatchObject({ used: 4, limit: 100, plan: 'trial' });
    });

    it('lists the same figures day by day in the tenant time zone, and filters by channel', async () => {
      const res = await api(host, t.owner, 'GET', `/api/v1/insights/timeseries?${week}`);
      expect(res.status).toBe(200);
      expect(
        res.body.days.map((d: { day: string; conversationsStarted: number }) => [d.day, d.conversationsStarted]),
      ).toEqual([
        ['2026-11-02', 2],
        ['2026-11-03', 1],
        ['2026-11-04', 2],
        ['2026-11-05', 1],
        ['2026-11-06', 1],
        ['2026-11-07', 0],
        ['2026-11-08', 0],
      ]);
      // B came back on Tuesday, but its verdict belongs to Monday, the day it started.
      expect(res.body.days[0]).toMatchObject({ resolved: 1, unresolved: 1 });
      const messenger = await api(host, t.owner, 'GET', `/api/v1/insights/overview?${week}&channel=messenger`);
      expect(messenger.body.figures.conversationsStarted).toBe(0);
    });

    it('leaves every figure unchanged when every event is delivered again', async () => {
      const before = (await api(host, t.owner, 'GET', `/api/v1/insights/overview?${week}`)).body.figures;
      // The same webhooks again (Meta retries), the same send jobs again, every transition hook again.
      const { resources: messages } = await host.runtime.cosmos
        .container('messages')
        .items.query<MessageDoc>(`SELECT * FROM c WHERE c.tenantId = '${t.id}'`)
        .fetchAll();
      for (const m of messages.filter((x) => x.direction === 'in')) {
        await postWebhook(
          host.url,
          dm({
            object: 'instagram',
            accountId: t.account,
            userId: m.senderId,
            text: m.text ?? '',
            timestamp: m.timestamp,
            mid: m.mid,
          }),
          host.runtime.settings.META_APP_SECRET,
        );
      }
      for (const m of messages.filter((x) => x.direction === 'out' && x.author !== 'meta_inbox')) {
        await host.runtime.bus.send('outbound', {
          body: { tenantId: t.id, conversationId: m.conversationId, messageIds: [m.id], attempt: 0 },
          messageId: `again:${m.id}`,
          sessionId: m.conversationId,
        });
      }
      await settle();
      // And every insights message once more, straight into its handler (the broker would drop repeats).
      for (const m of messages)
        await runInsightsJob(host.runtime, {
          kind: 'messages',
          tenantId: t.id,
          conversationId: m.conversationId,
          messageIds: [m.id],
        });
      const { resources: conversations } = await host.runtime.cosmos
        .container('conversations')
        .items.query<ConversationDoc>(`SELECT * FROM c WHERE c.tenantId = '${t.id}'`)
        .fetchAll();
      for (const c of conversations) {
        for (const transition of c.transitions)
          await runInsightsJob(host.runtime, {
            kind: 'transition',
            tenantId: t.id,
            conversationId: c.id,
            contactId: c.contactId,
            platform: c.platform,
            transition,
          });
      }
      const gaps = await api(host, t.owner, 'GET', '/api/v1/insights/gaps');
      expect(gaps.body.items.map((g: { count: number }) => g.count)).toEqual([1, 1]);
      await host.fireTimer('insights-settle');
      const after = (await api(host, t.owner, 'GET', `/api/v1/insights/overview?${week}`)).body.figures;
      expect(after).toEqual(before);
      expect(after.conversationsStarted).toBe(7);
    });

    it('rebuilds the same counters from the stored messages and transitions', async () => {
      const report = await rebuildTenant(host.runtime, t.id, { write: false });
      expect(report).toMatchObject({ conversations: 7, messages: expect.any(Number), mismatches: [] });
      expect(report.days).toBeGreaterThanOrEqual(5);
      const staff = await host.auth.token({ sub: 'auth0|staff', role: 'staff', mfa: true });
      const res = await api(host, staff, 'POST', '/api/v1/staff/insights/rebuild', {
        body: { tenantId: t.id, write: true },
      });
      expect(res.status).toBe(200);
      expect(res.body.reports[0]).toMatchObject({ tenantId: t.id, written: true, mismatches: [] });
      const again = await api(host, t.owner, 'GET', `/api/v1/insights/overview?${week}`);
      expect(again.body.figures.conversationsStarted).toBe(7);
      expect(again.body.figures.resolution).toMatchObject({ resolved: 2, unresolved: 5 });
    });

    it('detects counters that drifted from the stored data', async () => {
      await host.runtime.cosmos
        .container('insights')
        .item('day:2026-11-02:instagram', t.id)
        .patch([{ op: 'incr', path: '/counts/started', value: 3 }]);
      const report = await rebuildTenant(host.runtime, t.id, { write: false });
      expect(report.mismatches).toEqual([
        { id: 'day:2026-11-02:instagram', counter: 'started', stored: 5, rebuilt: 2 },
      ]);
      await rebuildTenant(host.runtime, t.id, { write: true });
      expect((await rebuildTenant(host.runtime, t.id, { write: false })).mismatches).toEqual([]);
    });

    it('rejects a bad range with a problem, and agents may not read the figures', async () => {
      const bad = await api(host, t.owner, 'GET', '/api/v1/insights/overview?from=2026-11-09&to=2026-11-02');
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      expect((await api(host, t.owner, 'GET', '/api/v1/insights/timeseries?from=2026-13-01')).status).toBe(400);
      expect((await api(host, t.owner, 'GET', '/api/v1/insights/overview?from=2024-01-01&to=2026-11-02')).status).toBe(
        400,
      );
      expect((await api(host, t.agent, 'GET', '/api/v1/insights/overview')).status).toBe(403);
    });
  });
  describe('knowledge gaps and the weekly digest', () => {
    let t: Awaited<ReturnType<typeof makeTenant>>;
    const { users, say } = customers(() => t.account, 'g', '82');
    const ownerEmail = `ana-${Date.now()}@salon.example`;

    beforeAll(async () => {
      // The real knowledge-base generator, with the sample salon: these questions have no answer in it.
      host.runtime.replyGenerator = realGenerator;
      setTime('2026-11-10 10:00');
      t = await makeTenant(host, {
        kb: true,
        bot: { burstWaitMs: 0 },
        extra: {
          owner: { name: 'Ana Owner', email: ownerEmail, preferredLanguage: 'ro', timeZone: 'Europe/Bucharest' },
        },
      });
      await say('en', 'Do you do eyelash extensions?');
      setTime('2026-11-10 11:00');
      await say('ro', 'Faceți extensii de gene?');
      setTime('2026-11-11 12:00');
      await say(
        'pii',
        'Hello, do you do lash extensions? My number is 0721 555 666 and my e-mail is ana.pop@example.com',
      );
      setTime('2026-11-12 09:30');
      await say('laser', 'Do you offer laser hair removal?');
    });

    it('groups near-duplicate questions in English and Romanian, with count and last time, and no personal data in samples', async () => {
      const res = await api(host, t.owner, 'GET', '/api/v1/insights/gaps');
      expect(res.status).toBe(200);
      const [lashes, laser] = res.body.items;
      expect(res.body.items).toHaveLength(2);
      expect(lashes).toMatchObject({
        status: 'open',
        count: 3,
        lastAskedAt: '2026-11-11T10:00:00.000Z',
        firstAskedAt: '2026-11-10T08:00:00.000Z',
        reasons: { no_match: 3 },
      });
      expect(lashes.samples.map((s: { text: string }) => s.text)).toEqual(
        expect.arrayContaining(['Do you do eyelash extensions?', 'Faceți extensii de gene?']),
      );
      expect(laser).toMatchObject({ count: 1, topic: 'Do you offer laser hair removal?' });
      const all = JSON.stringify(res.body);
      expect(all).not.toMatch(/0721|555 666|ana\.pop@example\.com/);
      // The sandbox's profile name of the person who wrote is not in any sample either.
      const { resources: contacts } = await host.runtime.cosmos
        .container('contacts')
        .items.query<{ name?: string }>(`SELECT c.name FROM c WHERE c.tenantId = '${t.id}'`)
        .fetchAll();
      for (const c of contacts)
        for (const part of (c.name ?? '').split(' ').filter(Boolean)) expect(all).not.toContain(part);
    });

    it('turns a gap into an FAQ from the owner’s answer, and the playground then answers it', async () => {
      const before = await api(host, t.owner, 'POST', '/api/v1/playground/replies', {
        body: { question: 'Do you do eyelash extensions?' },
      });
      expect(before.body.handoff).toBe(true);
      const [lashes] = (await api(host, t.owner, 'GET', '/api/v1/insights/gaps')).body.items;
      expect(
        (await api(host, t.agent, 'POST', `/api/v1/insights/gaps/${lashes.id}/resolve`, { body: { answer: 'x' } }))
          .status,
      ).toBe(403);
      expect(
        (await api(host, t.owner, 'POST', `/api/v1/insights/gaps/${lashes.id}/resolve`, { body: {} })).status,
      ).toBe(400);
      const res = await api(host, t.owner, 'POST', `/api/v1/insights/gaps/${lashes.id}/resolve`, {
        body: {
          question: 'Do you do eyelash extensions?',
          answer: 'Yes: classic eyelash extensions are 150 lei, volume 200 lei.',
        },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'resolved', faqEntryId: expect.any(String) });
      expect(res.headers.get('location')).toBe(`/api/v1/knowledge/entries/${res.body.faqEntryId}`);
      expect(
        (await api(host, t.owner, 'POST', `/api/v1/insights/gaps/${lashes.id}/resolve`, { body: { answer: 'again' } }))
          .status,
      ).toBe(409);
      expect(
        (await api(host, t.owner, 'POST', '/api/v1/insights/gaps/gap_nothere/resolve', { body: { answer: 'x' } }))
          .status,
      ).toBe(404);
      await settle();
      const entry = await api(host, t.owner, 'GET', `/api/v1/knowledge/entries/${res.body.faqEntryId}`);
      expect(entry.body).toMatchObject({ kind: 'faq', data: { question: 'Do you do eyelash extensions?' } });
      const after = await api(host, t.owner, 'POST', '/api/v1/playground/replies', {
        body: { question: 'Do you do eyelash extensions?' },
      });
      expect(after.body).toMatchObject({ handoff: false });
      expect(after.body.reply).toContain('150 lei');
      expect(
        (await api(host, t.owner, 'GET', '/api/v1/insights/gaps')).body.items.map((g: { count: number }) => g.count),
      ).toEqual([1]);
      expect((await api(host, t.owner, 'GET', '/api/v1/insights/gaps?status=resolved')).body.items).toHaveLength(1);
    });

    it('§12.2 deletes an End-User’s gap samples with them', async () => {
      const staff = await host.auth.token({ sub: 'auth0|staff', role: 'staff', mfa: true });
      const res = await api(host, staff, 'POST', '/api/v1/staff/privacy/end-user-deletions', {
        body: { platformUserId: users.ro },
      });
      expect(res.status).toBe(202);
      await settle();
      const [lashes] = (await api(host, t.owner, 'GET', '/api/v1/insights/gaps?status=resolved')).body.items;
      expect(lashes.samples.map((s: { text: string }) => s.text)).not.toContain('Faceți extensii de gene?');
      expect(lashes.samples).toHaveLength(2);
      const { resources } = await host.runtime.cosmos
        .container('insights')
        .items.query(`SELECT * FROM c WHERE c.tenantId = '${t.id}'`)
        .fetchAll();
      expect(JSON.stringify(resources)).not.toContain('extensii de gene');
    });

    it('sends the weekly digest once in the owner’s language, however often its timer fires, and owners or admins can switch it off', async () => {
      setTime('2026-11-16 08:00');
      for (let i = 0; i < 3; i++) await host.fireTimer('insights-weekly-digest');
      await settle();
      await host.fireTimer('insights-weekly-digest');
      await settle();
      const digests = () => host.mail.outbox.filter((m) => m.to === ownerEmail && m.subject.startsWith('Săptămâna'));
      const mails = digests();
      expect(mails).toHaveLength(1);
      expect(mails[0]?.subject).toMatch(/^Săptămâna dvs. cu Aliat: 4 conversații/);
      expect(mails[0]?.text).toContain('între 2026-11-09 și 2026-11-15');
      expect(mails[0]?.text).toContain('"Do you offer laser hair removal?" (întrebat o dată)');
      expect(mails[0]?.text).toMatch(/\/insights\/gaps\/gap_\w+/);

      expect(
        (await api(host, t.agent, 'PUT', '/api/v1/insights/settings', { body: { weeklyDigest: false } })).status,
      ).toBe(403);
      expect(
        (await api(host, t.admin, 'PUT', '/api/v1/insights/settings', { body: { weeklyDigest: 'no' } })).status,
      ).toBe(400);
      expect(
        (await api(host, t.admin, 'PUT', '/api/v1/insights/settings', { body: { weeklyDigest: false } })).body,
      ).toEqual({ weeklyDigest: false });
      expect((await api(host, t.owner, 'GET', '/api/v1/insights/settings')).body).toEqual({ weeklyDigest: false });
      setTime('2026-11-23 08:00');
      await host.fireTimer('insights-weekly-digest');
      await settle();
      expect(digests()).toHaveLength(1);
    });
  });

  describe('human response time in the profile’s opening hours', () => {
    let t: Awaited<ReturnType<typeof makeTenant>>;
    const { say, inboxReply } = customers(() => t.account, 'p', '83');

    beforeAll(async () => {
      host.runtime.replyGenerator = new ScriptedGenerator();
      setTime('2026-11-23 09:00');
      // The bot settings say 09:00–18:00 (set by the owner); the profile says 12:00–20:00 on weekdays,
      // with Thursday 26 November a closed holiday. The profile wins.
      t = await makeTenant(host, { bot: { burstWaitMs: 0, businessHours: OWNER_SET_BOT_HOURS } });
      const saved = await api(host, t.owner, 'PUT', '/api/v1/knowledge/profile', {
        body: {
          name: 'Salon Program',
          hours: {
            weekly: Object.fromEntries(
              ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '12:00', close: '20:00' }]]),
            ),
            exceptions: [{ date: '2026-11-26', label: 'Holiday' }],
          },
        },
      });
      expect(saved.status).toBe(200);
      await settle();
    });

    it('counts only the profile’s hours, and a closed holiday adds nothing, live and rebuilt alike', async () => {
      // Tuesday 10:00 handed off, a person answers at 12:10: 10 minutes after the profile's opening
      // (the bot settings would say 130).
      setTime('2026-11-24 10:00');
      await say('G', 'Can I talk to someone? #asked_for_human');
      setTime('2026-11-24 12:10');
      await inboxReply('G', 'Hello, Maria here.');
      // Wednesday 19:50 handed off, answered on the holiday at 19:00: 10 minutes on Wednesday and
      // none on Thursday (the bot settings would say 540, all after their closing or on the holiday).
      setTime('2026-11-25 19:50');
      await say('K', 'Is the price negotiable? #asked_for_human');
      setTime('2026-11-26 19:00');
      await inboxReply('K', 'Sorry for the wait, yes.');

      const range = 'from=2026-11-23&to=2026-11-29';
      const res = await api(host, t.owner, 'GET', `/api/v1/insights/overview?${range}`);
      expect(res.status).toBe(200);
      expect(res.body.figures.firstResponse).toMatchObject({ humanCount: 2, humanBusinessHoursAvgMs: 10 * 60_000 });
      // The rebuild reads the same hours: once the due episodes are settled, nothing drifts.
      await host.fireTimer('insights-settle');
      expect((await rebuildTenant(host.runtime, t.id, { write: false })).mismatches).toEqual([]);
    });
  });
});
