import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { seedTenant } from '../../local/seed.js';
import type { Fault } from '../../local/stand-ins/graph-sandbox.js';
import type { MessageDoc } from '../../shared/conversations/documents.js';
import { MAX_SEND_ATTEMPTS } from '../../shared/messaging/send-job.js';
import type { ReplyGenerator } from '../../shared/replies/generator.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { RecordingGenerator } from '../helpers/replies.js';

const TENANT = 'tn_exactly_once';
// One Page with its Instagram professional account linked, as most salons have it.
const PAGE = '730000000000001';
const IG = '17841473000000001';

type Platform = 'messenger' | 'instagram';
const objectOf = (platform: Platform) => (platform === 'messenger' ? 'page' : 'instagram');
const accountOf = (platform: Platform) => (platform === 'messenger' ? PAGE : IG);

/**
 * Issue 12, defect 6: the Send API has no idempotency key, so an attempt that ends in a 5xx or a
 * timeout may or may not have reached the person. The send job must find out (the echo, or the
 * Conversations API) before it sends again, so the customer gets the reply exactly once.
 */
describe('sending: exactly once after ambiguous Send API failures, on Messenger and Instagram', () => {
  let host: LocalHost;
  let realGenerator: ReplyGenerator;
  const generator = new RecordingGenerator();
  let n = 0;
  const nextUser = () => `6${Date.now()}${++n}`;
  const sentTo = (userId: string) => host.graph.messages().filter((m) => m.recipient === userId);

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await host.broker.whenIdle();
      await host.graph.echoesDelivered();
    }
    await host.broker.whenIdle();
  }
  async function outbound(userId: string): Promise<MessageDoc[]> {
    const { resources } = await host.runtime.cosmos
      .container('messages')
      .items.query<MessageDoc>(
        {
          query: "SELECT * FROM c WHERE c.tenantId = @t AND c.recipientId = @u AND c.direction = 'out'",
          parameters: [
            { name: '@t', value: TENANT },
            { name: '@u', value: userId },
          ],
        },
        { partitionKey: TENANT },
      )
      .fetchAll();
    return resources;
  }
  /** A DM from a new person on the platform, answered by the bot with one part, with `fault` queued for its send. */
  async function dmWith(platform: Platform, fault?: Fault): Promise<string> {
    const userId = nextUser();
    if (fault) host.graph.failNext(fault);
    const res = await postWebhook(
      host.url,
      dm({ object: objectOf(platform), accountId: accountOf(platform), userId, text: 'can I book for Saturday?' }),
      host.runtime.settings.META_APP_SECRET,
    );
    expect(res.status).toBe(200);
    await settle();
    return userId;
  }

  beforeAll(async () => {
    // A fallback wait for the echo would outlast nothing here: it would resend after 2 s and show as a duplicate.
    host = await startTestHost({
      values: { BURST_WAIT_MS: '20', SEND_RETRY_BASE_MS: '5', SEND_ECHO_WAIT_MS: '2000', META_SEND_TIMEOUT_MS: '300' },
    });
    realGenerator = host.runtime.replyGenerator;
    await seedTenant(host.runtime, {
      tenantId: TENANT,
      companyName: 'Exactly Once Salon',
      channels: [
        { platform: 'messenger', accountId: PAGE, sendAsId: PAGE, name: 'Salon Page', token: `EAA.${PAGE}.token` },
        { platform: 'instagram', accountId: IG, sendAsId: PAGE, name: '@salon', token: `EAA.${PAGE}.token` },
      ],
    });
    host.graph.echoTargets.set(PAGE, { object: 'page', accountId: PAGE });
    host.graph.linkInstagram(PAGE, IG);
  });
  afterAll(async () => {
    if (host) host.runtime.replyGenerator = realGenerator;
    await host?.stop();
  });
  beforeEach(() => {
    host.runtime.replyGenerator = generator;
    host.graph.reset();
    host.graph.echoes = true;
  });

  const accepted: Array<[string, Fault]> = [
    ['a 5xx after acceptance', { status: 500, code: 2, acceptFirst: true }],
    ['a timeout after acceptance', { status: 500, acceptFirst: true, hangMs: 1_000 }],
  ];
  const cases = (['messenger', 'instagram'] as const).flatMap((platform) =>
    accepted.flatMap(([what, fault]) => [true, false].map((echoes) => [platform, what, echoes, fault] as const)),
  );

  it.each(cases)(
    '%s: %s (echoes on: %s) reaches the person once and ends sent with its mid',
    async (platform, _what, echoes, fault) => {
      host.graph.echoes = echoes;
      const userId = await dmWith(platform, fault);
      const sent = sentTo(userId);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.platform).toBe(platform);
      const out = await outbound(userId);
      // Our own reply, recognised as ours: no copy stored as a person's answer from Meta's inbox (which would pause the
      // bot).
      expect(out.map((m) => m.author)).toEqual(['bot']);
      expect(out[0]).toMatchObject({ status: 'sent', mid: sent[0]?.message_id });
    },
  );

  it.each(
    (['messenger', 'instagram'] as const).flatMap((platform) => [
      [platform, 'a 5xx before acceptance', { status: 500, code: 2 }],
      [platform, 'a timeout before acceptance', { status: 500, hangMs: 1_000 }],
    ]) as Array<[Platform, string, Fault]>,
  )('%s: %s is sent again, and reaches the person once', async (platform, _what, fault) => {
    const userId = await dmWith(platform, fault);
    const sent = sentTo(userId);
    expect(sent).toHaveLength(1);
    const [out] = await outbound(userId);
    expect(out).toMatchObject({ status: 'sent', mid: sent[0]?.message_id, outbound: { attempts: 2 } });
  });

  it.each(['messenger', 'instagram'] as const)(
    '%s: the last allowed attempt, accepted but answered 5xx, is recorded as sent, not failed',
    async (platform) => {
      host.graph.echoes = false;
      const refused: Fault[] = Array.from({ length: MAX_SEND_ATTEMPTS - 1 }, () => ({ status: 500, code: 2 }));
      host.graph.failNext(...refused);
      const userId = await dmWith(platform, { status: 500, code: 2, acceptFirst: true });
      const sent = sentTo(userId);
      expect(sent).toHaveLength(1);
      const [out] = await outbound(userId);
      expect(out).toMatchObject({
        status: 'sent',
        mid: sent[0]?.message_id,
        outbound: { attempts: MAX_SEND_ATTEMPTS },
      });
    },
  );

  it('echoes each platform as Meta does: Messenger from the Page, Instagram from the linked account', async () => {
    const echoes: Array<{
      object: string;
      entry: Array<{
        id: string;
        messaging: Array<{ sender: { id: string }; recipient: { id: string }; message: Record<string, unknown> }>;
      }>;
    }> = [];
    const realFetch = globalThis.fetch;
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      if (
        String(input).endsWith('/api/webhooks/meta') &&
        typeof init?.body === 'string' &&
        init.body.includes('"is_echo"')
      )
        echoes.push(JSON.parse(init.body));
      return realFetch(input, init);
    });
    let users: Record<Platform, string>;
    try {
      users = { messenger: await dmWith('messenger'), instagram: await dmWith('instagram') };
    } finally {
      spy.mockRestore();
    }
    for (const platform of ['messenger', 'instagram'] as const) {
      const sent = sentTo(users[platform]);
      expect(sent).toHaveLength(1);
      const echo = echoes.find((e) => e.entry[0]?.messaging[0]?.recipient.id === users[platform]);
      expect(echo?.object).toBe(objectOf(platform));
      expect(echo?.entry[0]?.id).toBe(accountOf(platform));
      expect(echo?.entry[0]?.messaging[0]?.sender.id).toBe(accountOf(platform));
      expect(echo?.entry[0]?.messaging[0]?.message).toMatchObject({
        mid: sent[0]?.message_id,
        is_echo: true,
        text: sent[0]?.text,
      });
    }
    // Messenger echoes name our app and carry our metadata; Instagram echoes carry neither.
    const byPlatform = (p: Platform) =>
      echoes.find((e) => e.entry[0]?.messaging[0]?.recipient.id === users[p])?.entry[0]?.messaging[0]?.message;
    expect(byPlatform('messenger')).toMatchObject({
      app_id: Number(host.runtime.settings.META_APP_ID),
      metadata: expect.stringMatching(/^aliat:/),
    });
    expect(byPlatform('instagram')).not.toHaveProperty('app_id');
    expect(byPlatform('instagram')).not.toHaveProperty('metadata');
  });
});
