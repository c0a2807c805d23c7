import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { seedTenant } from '../../local/seed.js';
import type { ChannelDoc } from '../../shared/channels/channels.js';
import type { ContactDoc } from '../../shared/contacts/contact-document.js';
import { contactIdOf } from '../../shared/contacts/ids.js';
import type { ConversationDoc, MessageDoc } from '../../shared/conversations/documents.js';
import { conversationIdOf, messageIdOf } from '../../shared/conversations/ids.js';
import { flattenEnvelope } from '../../shared/messaging/events.js';
import { ingestEvent } from '../../shared/messaging/ingest.js';
import { QUEUES, sendToQueue } from '../../shared/platform/queues.js';
import type { ReplyGenerator } from '../../shared/replies/generator.js';
import { startTestHost } from '../helpers/host.js';
import { dm, metaFixtures, postWebhook } from '../helpers/meta.js';
import { RecordingGenerator } from '../helpers/replies.js';

const TENANT = 'tn_fixture';
const PAGE = '1895382890692545';
const IG = '17841452691600098';
const IG_PAGE = '1895382890699999';
const FIXTURE_ACCOUNTS: Array<['messenger' | 'instagram', string]> = [
  ['messenger', PAGE],
  ['instagram', IG],
  ['instagram', 'chatwoot-app-user-id-1'],
  ['messenger', '404217156637689'],
  ['messenger', '707356222221168'],
  ['messenger', '682498302938465'],
  ['messenger', '12345654332'],
  ['messenger', '1134713619900975'],
  ['messenger', '3'],
  ['messenger', '701111199441168'],
  ['messenger', '1234567890321'],
];

describe('messaging: DMs in, replies out, exactly once, in order', () => {
  let host: LocalHost;
  let realGenerator: ReplyGenerator;
  let secret: string;
  const generator = new RecordingGenerator();
  let user = 0;
  const nextUser = () => `9${Date.now()}${++user}`;

  async function all<T>(container: string, where = ''): Promise<T[]> {
    const c = host.runtime.cosmos.container(container as 'messages');
    const { resources } = await c.items.query<T>(`SELECT * FROM c ${where}`).fetchAll();
    return resources;
  }
  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await host.broker.whenIdle();
      await host.graph.echoesDelivered();
    }
    await host.broker.whenIdle();
  }
  const sentTo = (userId: string) => host.graph.messages().filter((m) => m.recipient === userId);

  beforeAll(async () => {
    host = await startTestHost({ values: { BURST_WAIT_MS: '30', SEND_RETRY_BASE_MS: '5', SEND_ECHO_WAIT_MS: '400' } });
    realGenerator = host.runtime.replyGenerator;
    secret = host.runtime.settings.META_APP_SECRET;
    await seedTenant(host.runtime, {
      tenantId: TENANT,
      companyName: 'Fixture Salon',
      channels: FIXTURE_ACCOUNTS.map(([platform, accountId]) => ({
        platform,
        accountId,
        sendAsId: platform === 'instagram' && accountId === IG ? IG_PAGE : accountId,
        name: accountId,
        token: `EAAtoken.${accountId}`,
      })),
    });
    host.graph.echoTargets.set(PAGE, { object: 'page', accountId: PAGE });
    host.graph.echoTargets.set(IG_PAGE, { object: 'instagram', accountId: IG });
  });
  afterAll(async () => {
    if (host) host.runtime.replyGenerator = realGenerator;
    await host?.stop();
  });
  beforeEach(() => {
    generator.calls.length = 0;
    generator.gate = undefined;
    host.runtime.replyGenerator = generator;
    host.graph.reset();
    host.graph.echoes = true;
  });

  describe('webhook', () => {
    it('answers the subscription check with the challenge only for the right token', async () => {
      const ok = await fetch(
        `${host.url}/api/webhooks/meta?hub.mode=subscribe&hub.verify_token=${host.runtime.settings.META_VERIFY_TOKEN}&hub.challenge=1158201444`,
      );
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('text/plain');
      expect(await ok.text()).toBe('1158201444');
      const bad = await fetch(
        `${host.url}/api/webhooks/meta?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`,
      );
      expect(bad.status).toBe(403);
      const mode = await fetch(
        `${host.url}/api/webhooks/meta?hub.mode=unsubscribe&hub.verify_token=${host.runtime.settings.META_VERIFY_TOKEN}&hub.challenge=1`,
      );
      expect(mode.status).toBe(403);
    });

    it('refuses a missing or wrong signature with 401 and enqueues nothing', async () => {
      const body = dm({ object: 'page', accountId: PAGE, userId: nextUser(), text: 'hi' });
      const before = host.broker.depth('meta-events');
      for (const signature of [null, 'sha256=00', `sha256=${'0'.repeat(64)}`, 'sha1=abc']) {
        const res = await postWebhook(host.url, body, secret, signature);
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
      }
      expect(host.broker.depth('meta-events')).toEqual(before);
    });

    it('answers 400 for a signed body that is not JSON or not an envelope, and 413 when too large', async () => {
      expect((await postWebhook(host.url, 'not json', secret)).status).toBe(400);
      const notEnvelope = await postWebhook(
        host.url,
        JSON.stringify({ object: 'whatsapp_business_account', entry: [] }),
        secret,
      );
      expect(notEnvelope.status).toBe(400);
      expect(((await notEnvelope.json()) as { errors: Array<{ field: string }> }).errors[0]?.field).toBe('object');
      const huge = JSON.stringify({
        object: 'page',
        entry: [],
        pad: 'x'.repeat(host.runtime.settings.META_WEBHOOK_MAX_BYTES),
      });
      expect((await postWebhook(host.url, huge, secret)).status).toBe(413);
    });

    it('accepts every fixture payload and stores what each one carries', async () => {
      for (const fixture of metaFixtures()) {
        const res = await postWebhook(host.url, fixture.raw, secret);
        expect(res.status, fixture.name).toBe(200);
      }
      await settle();
      const messages = await all<MessageDoc>('messages', `WHERE c.tenantId = '${TENANT}'`);
      const mids = new Set(messages.map((m) => m.mid));
      // Every inbound message fixture is stored with its metadata.
      for (const fixture of metaFixtures()) {
        for (const entry of fixture.json.entry) {
          for (const item of (entry.messaging as
            | Array<{ message?: { mid: string; is_echo?: boolean; is_deleted?: boolean } }>
            | undefined) ?? []) {
            if (item.message && !item.message.is_echo && !item.message.is_deleted)
              expect(mids.has(item.message.mid), fixture.name).toBe(true);
          }
        }
      }
      const image = messages.find((m) => m.attachments?.[0]?.type === 'image' && m.platform === 'instagram');
      expect(image?.attachments?.[0]?.url).toMatch(/^https:/);
      const sticker = messages.find((m) => m.attachments?.some((a) => a.type === 'sticker'));
      expect(sticker?.attachments?.find((a) => a.type === 'sticker')?.stickerId).toBeDefined();
      const postback = messages.find((m) => m.postback);
      expect(postback?.postback?.payload).toBeDefined();
      // Fixture timestamps are years old: the window is closed, so the bot answered none of them.
      expect(host.graph.messages()).toHaveLength(0);
      const contact = (await all<ContactDoc>('contacts', `WHERE c.tenantId = '${TENANT}'`))[0];
      expect(Object.keys(contact ?? {})).not.toContain('username');
    });

    it('deletes our copy when an Instagram message is unsent', async () => {
      // The shape of instagram-unsend.json, for a message of this test's own.
      const userId = 'Sender-id-9f3b2c1a';
      const envelope = (message: Record<string, unknown>) =>
        JSON.stringify({
          object: 'instagram',
          entry: [
            {
              id: 'chatwoot-app-user-id-1',
              time: 1,
              messaging: [
                { sender: { id: userId }, recipient: { id: 'chatwoot-app-user-id-1' }, timestamp: 1, message },
              ],
            },
          ],
        });
      await postWebhook(host.url, envelope({ mid: 'mid-unsend-test', text: 'oops' }), secret);
      await settle();
      const id = messageIdOf('instagram', 'mid-unsend-test');
      expect((await host.runtime.cosmos.container('messages').item(id, TENANT).read()).resource).toBeDefined();
      await postWebhook(host.url, envelope({ mid: 'mid-unsend-test', is_deleted: true }), secret);
      await settle();
      expect((await host.runtime.cosmos.container('messages').item(id, TENANT).read()).resource).toBeUndefined();
      // Meta delivers the original again after the broker's duplicate window: what was taken back stays gone.
      const [late] = flattenEnvelope(JSON.parse(envelope({ mid: 'mid-unsend-test', text: 'oops' })));
      await ingestEvent(host.runtime, late?.event as NonNullable<typeof late>['event']);
      expect((await host.runtime.cosmos.container('messages').item(id, TENANT).read()).resource).toBeUndefined();
    });

    it("copies attachments from Meta's CDN, and a dead link never loses the message", async () => {
      const settings = host.runtime.settings as { COPY_ATTACHMENTS: boolean };
      settings.COPY_ATTACHMENTS = true;
      try {
        const userId = nextUser();
        const mid = `m_attach_${userId}`;
        const attachments = [
          { type: 'image', payload: { url: `${host.url}/api/health` } },
          { type: 'video', payload: { url: `${host.url}/local/expired-cdn-link.mp4` } },
        ];
        const body = JSON.stringify({
          object: 'page',
          entry: [
            {
              id: PAGE,
              time: Date.now(),
              messaging: [
                {
                  sender: { id: userId },
                  recipient: { id: PAGE },
                  timestamp: Date.now(),
                  message: { mid, attachments },
                },
              ],
            },
          ],
        });
        expect((await postWebhook(host.url, body, secret)).status).toBe(200);
        await settle();
        const stored = (
          await host.runtime.cosmos.container('messages').item(messageIdOf('messenger', mid), TENANT).read<MessageDoc>()
        ).resource;
        expect(stored?.attachments?.[0]).toMatchObject({
          type: 'image',
          blob: expect.stringMatching(new RegExp(`^${TENANT}/`)),
        });
        expect(stored?.attachments?.[1]).toMatchObject({ type: 'video', copyFailed: 'HTTP 404' });
        const copy = await host.runtime.blob
          .container('attachments')
          .getBlockBlobClient(stored?.attachments?.[0]?.blob as string)
          .downloadToBuffer();
        expect(JSON.parse(copy.toString('utf8')).status).toBeDefined();
      } finally {
        settings.COPY_ATTACHMENTS = false;
      }
    });

    it('acknowledges and drops events for an account no tenant connected, storing nothing about the person', async () => {
      const userId = nextUser();
      const res = await postWebhook(
        host.url,
        dm({ object: 'page', accountId: '55555', userId, text: 'hello?' }),
        secret,
      );
      expect(res.status).toBe(200);
      await settle();
      expect(await all('contacts', `WHERE c.platformUserId = '${userId}'`)).toHaveLength(0);
      expect(await all('messages', `WHERE c.senderId = '${userId}'`)).toHaveLength(0);
    });
  });

  it('dead-letters a queue message that fails its schema, with the reason', async () => {
    await host.runtime.bus.send('meta-events', {
      body: { v: 2, nonsense: true },
      messageId: 'poison-meta-1',
      sessionId: 'poison',
    });
    await settle();
    const dead = host.broker.deadLetters('meta-events').find((m) => m.messageId === 'poison-meta-1');
    expect(dead?.deadLetterReason).toBe('MaxDeliveryCountExceeded');
    expect(dead?.deadLetterErrorDescription).toMatch(/^InvalidMessageError: Invalid message on meta-events: v: /);
  });

  describe('exactly once and in order', () => {
    it('answers a webhook delivered three times exactly once', async () => {
      const userId = nextUser();
      const body = dm({ object: 'instagram', accountId: IG, userId, text: 'Do you do balayage?' });
      for (let i = 0; i < 3; i++) expect((await postWebhook(host.url, body, secret)).status).toBe(200);
      await settle();
      const sent = sentTo(userId);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ page: IG_PAGE, messaging_type: 'RESPONSE' });
      expect(sent[0]?.tag).toBeUndefined();
      expect(sent[0]?.text).toContain('Do you do balayage?');
      // §13: the first reply says it comes from an automated assistant, and that is recorded.
      expect(sent[0]?.text).toMatch(/automated assistant/);
      const conversation = (
        await host.runtime.cosmos
          .container('conversations')
          .item(conversationIdOf('instagram', IG, userId), TENANT)
          .read<ConversationDoc>()
      ).resource;
      expect(conversation?.disclosureSentAt).toBeDefined();
      // The echo carried our metadata and confirmed the send without pausing the bot.
      expect(conversation?.state).toBe('bot');
      const [out] = await all<MessageDoc>(
        'messages',
        `WHERE c.conversationId = '${conversation?.id}' AND c.direction = 'out'`,
      );
      expect(out?.status).toBe('sent');
      expect(out?.mid).toBe(sent[0]?.message_id);
    });

    it('stores ten shuffled, duplicated messages once each and answers them in timestamp order', async () => {
      // Long enough for all fifteen deliveries to be ingested on a loaded machine before the first reply job runs.
      await host.runtime.cosmos
        .container('tenants')
        .item(TENANT, TENANT)
        .patch([{ op: 'set', path: '/bot/burstWaitMs', value: 1500 }]);
      try {
        const userId = nextUser();
        const base = Date.now();
        const bodies = Array.from({ length: 10 }, (_, i) =>
          dm({
            object: 'page',
            accountId: PAGE,
            userId,
            text: `part ${i}`,
            mid: `m_order_${userId}_${i}`,
            timestamp: base + i,
          }),
        );
        const deliveries = [...bodies, ...bodies.slice(0, 5)].sort(() => Math.random() - 0.5);
        await Promise.all(deliveries.map((b) => postWebhook(host.url, b, secret)));
        await settle();
        const stored = await all<MessageDoc>('messages', `WHERE c.senderId = '${userId}'`);
        expect(stored).toHaveLength(10);
        const answered = generator.calls
          .filter((c) => c.inbound[0]?.senderId === userId)
          .flatMap((c) => c.inbound.map((m) => m.text));
        expect(answered).toEqual(Array.from({ length: 10 }, (_, i) => `part ${i}`));
        expect(sentTo(userId)).toHaveLength(1);
      } finally {
        await host.runtime.cosmos
          .container('tenants')
          .item(TENANT, TENANT)
          .patch([{ op: 'set', path: '/bot/burstWaitMs', value: 30 }]);
      }
    });

    it('answers a message delivered after a later one was answered, on its own, and never loses it', async () => {
      const userId = nextUser();
      const base = Date.now() - 60_000;
      const message = (text: string, i: number) =>
        dm({ object: 'page', accountId: PAGE, userId, text, mid: `m_late_${userId}_${i}`, timestamp: base + i * 1000 });
      await postWebhook(host.url, message('second question', 2), secret);
      await settle();
      // Meta retries the earlier delivery after the later one was answered.
      await postWebhook(host.url, message('first question', 1), secret);
      await postWebhook(host.url, message('first question', 1), secret);
      await settle();
      const answered = generator.calls
        .filter((c) => c.inbound[0]?.senderId === userId)
        .map((c) => c.inbound.map((m) => m.text));
      expect(answered).toEqual([['second question'], ['first question']]);
      expect(sentTo(userId)).toHaveLength(2);
      // The late question is answered with the conversation so far, not with itself as its own history.
      const late = generator.calls.find((c) => c.inbound[0]?.text === 'first question');
      expect(late?.history.some((m) => m.text === 'first question')).toBe(false);
      expect(late?.history.some((m) => m.text === 'second question')).toBe(true);
    });

    it('answers an older message stored while the newer one was being answered, once (audit H)', async () => {
      const userId = nextUser();
      const base = Date.now() - 60_000;
      const message = (text: string, i: number) =>
        dm({ object: 'page', accountId: PAGE, userId, text, mid: `m_race_${userId}_${i}`, timestamp: base + i * 1000 });
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let reading!: () => void;
      const read = new Promise<void>((resolve) => {
        reading = resolve;
      });
      generator.gate = async (request) => {
        if (request.inbound[0]?.text === 'newer') {
          reading();
          await released;
        }
      };
      await postWebhook(host.url, message('newer', 2), secret);
      await read;
      // The newer message's burst is read and its reply is being made: the older one arrives now.
      try {
        await postWebhook(host.url, message('older', 1), secret);
        // Its own job (after the burst wait) sees the newer message and stands aside.
        const stored = async () =>
          (await all<MessageDoc>('messages', `WHERE c.senderId = '${userId}' AND c.text = 'older'`)).length;
        for (let i = 0; i < 100 && (await stored()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        release();
      }
      await settle();
      const answered = generator.calls
        .filter((c) => c.inbound[0]?.senderId === userId)
        .map((c) => c.inbound.map((m) => m.text));
      expect(answered.sort()).toEqual([['newer'], ['older']]);
      expect(sentTo(userId)).toHaveLength(2);
    });

    async function withBurstWait(ms: number, run: () => Promise<void>): Promise<void> {
      const bot = host.runtime.cosmos.container('tenants').item(TENANT, TENANT);
      await bot.patch([{ op: 'set', path: '/bot/burstWaitMs', value: ms }]);
      try {
        await run();
      } finally {
        await bot.patch([{ op: 'set', path: '/bot/burstWaitMs', value: 30 }]);
      }
    }

    it('never answers twice a late message that a burst already answered (audit H)', async () => {
      const userId = nextUser();
      const base = Date.now() - 60_000;
      const conversationId = conversationIdOf('messenger', PAGE, userId);
      const message = (text: string, i: number) =>
        dm({ object: 'page', accountId: PAGE, userId, text, mid: `m_once_${userId}_${i}`, timestamp: base + i });
      await withBurstWait(800, async () => {
        await postWebhook(host.url, message('first', 1), secret);
        await postWebhook(host.url, message('second', 2), secret);
        await settle();
      });
      expect(generator.calls.filter((c) => c.inbound[0]?.senderId === userId)).toHaveLength(1);
      // As if the first one's ingest had read the conversation only after the burst's answer: a late job for it.
      await sendToQueue(host.runtime.bus, QUEUES.replies, {
        tenantId: TENANT,
        conversationId,
        triggerTimestamp: base + 1,
        triggerMessageId: messageIdOf('messenger', `m_once_${userId}_1`),
        late: true,
      });
      await settle();
      expect(generator.calls.filter((c) => c.inbound[0]?.senderId === userId)).toHaveLength(1);
      expect(sentTo(userId)).toHaveLength(1);
    });

    it('keeps the time a future timestamp was first stored with when the delivery repeats (audit H)', async () => {
      const userId = nextUser();
      const body = dm({
        object: 'page',
        accountId: PAGE,
        userId,
        text: 'twice from the future',
        mid: `m_future_${userId}`,
        timestamp: Date.now() + 3_600_000,
      });
      // The queue runs the same event twice (a redelivery after a failure), before its reply job runs.
      const [routed] = flattenEnvelope(JSON.parse(body));
      await withBurstWait(800, async () => {
        await ingestEvent(host.runtime, routed?.event as never);
        await new Promise((r) => setTimeout(r, 20));
        await ingestEvent(host.runtime, routed?.event as never);
        await settle();
      });
      expect(sentTo(userId)).toHaveLength(1);
    });

    it('reads a timestamp from the future as now, so it holds back no later message', async () => {
      const userId = nextUser();
      const now = Date.now();
      await postWebhook(
        host.url,
        dm({ object: 'page', accountId: PAGE, userId, text: 'from the future', timestamp: now + 3_600_000 }),
        secret,
      );
      await settle();
      await postWebhook(
        host.url,
        dm({ object: 'page', accountId: PAGE, userId, text: 'right after', timestamp: now + 500 }),
        secret,
      );
      await settle();
      const answered = generator.calls
        .filter((c) => c.inbound[0]?.senderId === userId)
        .flatMap((c) => c.inbound.map((m) => m.text));
      expect(answered).toEqual(['from the future', 'right after']);
      const stored = await all<MessageDoc>('messages', `WHERE c.senderId = '${userId}'`);
      expect(Math.max(...stored.map((m) => m.timestamp))).toBeLessThan(now + 60_000);
    });

    it('does not let one slow conversation block another', async () => {
      const slow = nextUser();
      const fast = nextUser();
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      generator.gate = async (request) => {
        if (request.inbound[0]?.senderId === slow) await released;
      };
      await postWebhook(host.url, dm({ object: 'page', accountId: PAGE, userId: slow, text: 'slow one' }), secret);
      await postWebhook(host.url, dm({ object: 'page', accountId: PAGE, userId: fast, text: 'fast one' }), secret);
      const deadline = Date.now() + 5000;
      while (sentTo(fast).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(sentTo(fast)).toHaveLength(1);
      expect(sentTo(slow)).toHaveLength(0);
      release();
      await settle();
      expect(sentTo(slow)).toHaveLength(1);
    });
  });

  describe('faults', () => {
    it('delivers exactly one message when the Send API fails with 500 and rate limits several times', async () => {
      const userId = nextUser();
      host.graph.failNext(
        { status: 500 },
        { status: 500, code: 2 },
        { status: 400, code: 613 },
        { status: 429, code: 4 },
      );
      await postWebhook(host.url, dm({ object: 'page', accountId: PAGE, userId, text: 'are you open?' }), secret);
      await settle();
      expect(sentTo(userId)).toHaveLength(1);
      const [out] = await all<MessageDoc>('messages', `WHERE c.recipientId = '${userId}' AND c.direction = 'out'`);
      expect(out?.status).toBe('sent');
      expect(out?.outbound?.attempts).toBe(5);
    });

    it('flags the channel for reconnection on error 190 and retries nothing', async () => {
      const userId = nextUser();
      const account = '404217156637689';
      host.graph.failNext({ status: 400, code: 190, subcode: 463 });
      await postWebhook(host.url, dm({ object: 'page', accountId: account, userId, text: 'hello' }), secret);
      await settle();
      expect(sentTo(userId)).toHaveLength(0);
      const channel = (
        await host.runtime.cosmos.container('channels').item(`ch_messenger_${account}`, TENANT).read<ChannelDoc>()
      ).resource;
      expect(channel?.status).toBe('needs_reconnection');
      const [out] = await all<MessageDoc>('messages', `WHERE c.recipientId = '${userId}' AND c.direction = 'out'`);
      expect(out).toMatchObject({ status: 'failed', outbound: { attempts: 1, failure: 'token_invalid' } });
    });

    it('does not resend after a crash between the Send API call and its record, once the echo arrives', async () => {
      const userId = nextUser();
      host.graph.echoes = false;
      await postWebhook(host.url, dm({ object: 'page', accountId: PAGE, userId, text: 'book me in' }), secret);
      await settle();
      expect(sentTo(userId)).toHaveLength(1);
      const [out] = await all<MessageDoc>('messages', `WHERE c.recipientId = '${userId}' AND c.direction = 'out'`);
      // The crash: Meta accepted the message, but our record still says "sending".
      await host.runtime.cosmos
        .container('messages')
        .item(out!.id, TENANT)
        .patch([
          { op: 'set', path: '/status', value: 'sending' },
          { op: 'remove', path: '/mid' },
          { op: 'set', path: '/outbound/lastAttemptAt', value: new Date().toISOString() },
        ]);
      // The queue redelivers the send job before the echo arrives…
      await host.runtime.bus.send('outbound', {
        body: { tenantId: TENANT, conversationId: out!.conversationId, messageIds: [out!.id], attempt: 0 },
        messageId: `redelivery-${out!.id}`,
        sessionId: out!.conversationId,
      });
      // …and then Meta's echo, carrying our metadata, arrives.
      const sent = sentTo(userId)[0]!;
      const echo = JSON.stringify({
        object: 'page',
        entry: [
          {
            id: PAGE,
            time: Date.now(),
            messaging: [
              {
                sender: { id: PAGE },
                recipient: { id: userId },
                timestamp: Date.now(),
                message: {
                  is_echo: true,
                  app_id: Number(host.runtime.settings.META_APP_ID),
                  mid: sent.message_id,
                  metadata: sent.metadata,
                  text: sent.text,
                },
              },
            ],
          },
        ],
      });
      await postWebhook(host.url, echo, secret);
      await settle();
      expect(sentTo(userId)).toHaveLength(1);
      const after = (await host.runtime.cosmos.container('messages').item(out!.id, TENANT).read<MessageDoc>()).resource;
      expect(after).toMatchObject({ status: 'sent', mid: sent.message_id });
    });
  });

  describe('people and state', () => {
    it('pauses the bot when a person answers from the Meta inbox', async () => {
      const userId = nextUser();
      await postWebhook(host.url, dm({ object: 'page', accountId: PAGE, userId, text: 'first' }), secret);
      await settle();
      const inboxEcho = JSON.stringify({
        object: 'page',
        entry: [
          {
            id: PAGE,
            time: Date.now(),
            messaging: [
              {
                sender: { id: PAGE },
                recipient: { id: userId },
                timestamp: Date.now(),
                message: { is_echo: true, app_id: 263902037430900, mid: `m_inbox_${userId}`, text: 'Hi, Maria here!' },
              },
            ],
          },
        ],
      });
      await postWebhook(host.url, inboxEcho, secret);
      await settle();
      const conversation = (
        await host.runtime.cosmos
          .container('conversations')
          .item(conversationIdOf('messenger', PAGE, userId), TENANT)
          .read<ConversationDoc>()
      ).resource;
      expect(conversation?.state).toBe('paused');
      expect(conversation?.transitions.at(-1)).toMatchObject({
        from: 'bot',
        to: 'paused',
        event: 'external_reply',
        by: 'meta_inbox',
      });
      await postWebhook(host.url, dm({ object: 'page', accountId: PAGE, userId, text: 'second' }), secret);
      await settle();
      expect(sentTo(userId)).toHaveLength(1);
    });

    it('fetches the profile once and keeps only the fields §5.3 lists', async () => {
      const userId = nextUser();
      await postWebhook(host.url, dm({ object: 'page', accountId: PAGE, userId, text: 'one' }), secret);
      await postWebhook(host.url, dm({ object: 'page', accountId: PAGE, userId, text: 'two' }), secret);
      await settle();
      const contact = (
        await host.runtime.cosmos
          .container('contacts')
          .item(contactIdOf('messenger', PAGE, userId), TENANT)
          .read<ContactDoc>()
      ).resource;
      expect(contact?.name).toBeTruthy();
      expect(contact?.locale).toBe('ro_RO');
      const allowed = [
        'id',
        'tenantId',
        'type',
        'channelId',
        'platform',
        'platformUserId',
        'name',
        'profilePicUrl',
        'locale',
        'profileFetchedAt',
        'createdAt',
        'updatedAt',
      ];
      expect(Object.keys(contact ?? {}).filter((k) => !k.startsWith('_') && !allowed.includes(k))).toEqual([]);
    });

    it('marks our messages delivered and read from delivery and read events', async () => {
      const userId = nextUser();
      await postWebhook(host.url, dm({ object: 'page', accountId: PAGE, userId, text: 'ping' }), secret);
      await settle();
      const watermark = Date.now() + 1000;
      const receipt = (kind: 'delivery' | 'read') =>
        JSON.stringify({
          object: 'page',
          entry: [
            {
              id: PAGE,
              time: watermark,
              messaging: [
                { sender: { id: userId }, recipient: { id: PAGE }, timestamp: watermark, [kind]: { watermark } },
              ],
            },
          ],
        });
      await postWebhook(host.url, receipt('delivery'), secret);
      await settle();
      let [out] = await all<MessageDoc>('messages', `WHERE c.recipientId = '${userId}' AND c.direction = 'out'`);
      expect(out?.status).toBe('delivered');
      await postWebhook(host.url, receipt('read'), secret);
      await settle();
      [out] = await all<MessageDoc>('messages', `WHERE c.recipientId = '${userId}' AND c.direction = 'out'`);
      expect(out?.status).toBe('read');
    });
  });
});
