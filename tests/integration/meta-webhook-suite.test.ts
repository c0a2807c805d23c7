import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { seedTenant } from '../../local/seed.js';
import type { ChannelDoc } from '../../shared/channels/channels.js';
import type { MessageDoc } from '../../shared/conversations/documents.js';
import type { ReplyGenerator } from '../../shared/replies/generator.js';
import { startTestHost } from '../helpers/host.js';
import { postWebhook } from '../helpers/meta.js';
import { checkWithSeed, oddCompany, surround } from '../helpers/meta-arbitraries.js';
import { eventShapes, type Shape } from '../helpers/meta-shapes.js';
import { RecordingGenerator } from '../helpers/replies.js';

const TENANT = 'tn_shapes';
const PAGE = '610000000000001';
const IG = '17841461000000001';
const IG_PAGE = '610000000000002';
const OWNER = 'owner@shapes-salon.example';

/**
 * Every event shape Meta documents, each delivered in one signed body together with a real DM:
 * the DM is answered exactly once, and the odd item never costs the batch a 400.
 */
describe('Meta webhook: every documented event shape next to a real DM', () => {
  let host: LocalHost;
  let realGenerator: ReplyGenerator;
  let secret: string;
  const generator = new RecordingGenerator();
  let n = 0;
  const nextUser = () => `8${Date.now()}${++n}`;

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await host.broker.whenIdle();
      await host.graph.echoesDelivered();
    }
    await host.broker.whenIdle();
  }
  const sentTo = (userId: string) => host.graph.messages().filter((m) => m.recipient === userId);
  const accountOf = (object: 'page' | 'instagram') => (object === 'page' ? PAGE : IG);

  /** A compact real DM item from `userId` to the account. */
  function dmItem(object: 'page' | 'instagram', userId: string, text: string, timestamp = Date.now()) {
    return {
      sender: { id: userId },
      recipient: { id: accountOf(object) },
      timestamp,
      message: { mid: `m_dm_${userId}_${timestamp}`, text },
    };
  }

  /**
   * One signed body with the odd item and a DM: a `messaging` item shares the DM's array (the case
   * that used to lose the DM); `standby` and `changes` items come in their own entry before it.
   */
  function mixed(shape: Shape, userId: string, text: string): string {
    const account = accountOf(shape.object);
    const odd = shape.build({ account, user: `${userId}0`, now: Date.now() });
    const dm = dmItem(shape.object, userId, text);
    const place = shape.place ?? 'messaging';
    const entries =
      place === 'messaging'
        ? [{ id: account, time: Date.now(), messaging: [odd, dm] }]
        : [
            { id: account, time: Date.now(), [place]: [odd] },
            { id: account, time: Date.now(), messaging: [dm] },
          ];
    return JSON.stringify({ object: shape.object, entry: entries });
  }

  beforeAll(async () => {
    host = await startTestHost({ values: { BURST_WAIT_MS: '20', SEND_RETRY_BASE_MS: '5', SEND_ECHO_WAIT_MS: '300' } });
    realGenerator = host.runtime.replyGenerator;
    secret = host.runtime.settings.META_APP_SECRET;
    await seedTenant(host.runtime, {
      tenantId: TENANT,
      companyName: 'Shapes Salon',
      bot: { burstWaitMs: 20 },
      extra: { owner: { name: 'Ana', email: OWNER, preferredLanguage: 'ro', timeZone: 'Europe/Bucharest' } },
      channels: [
        { platform: 'messenger', accountId: PAGE, sendAsId: PAGE, name: 'Shapes Page', token: `EAA.${PAGE}.shapes` },
        { platform: 'instagram', accountId: IG, sendAsId: IG_PAGE, name: '@shapes', token: `EAA.${IG_PAGE}.shapes` },
      ],
    });
    host.graph.echoTargets.set(PAGE, { object: 'page', accountId: PAGE });
    host.graph.echoTargets.set(IG_PAGE, { object: 'instagram', accountId: IG });
  });
  afterAll(async () => {
    if (host) host.runtime.replyGenerator = realGenerator;
    await host?.stop();
  });
  beforeEach(async () => {
    generator.calls.length = 0;
    host.runtime.replyGenerator = generator;
    host.graph.reset();
    // The suite sends far more replies than a trial's monthly quota; start each test with none used.
    const { resources } = await host.runtime.cosmos
      .container('usage')
      .items.query<{ id: string }>(
        { query: 'SELECT c.id FROM c WHERE c.tenantId = @t', parameters: [{ name: '@t', value: TENANT }] },
        { partitionKey: TENANT },
      )
      .fetchAll();
    for (const u of resources) await host.runtime.cosmos.container('usage').item(u.id, TENANT).delete();
  });

  for (const shape of eventShapes) {
    it(`${shape.object} ${shape.name}: acknowledged, and the DM beside it is answered exactly once`, async () => {
      const userId = nextUser();
      const body = mixed(shape, userId, `question beside ${shape.name}`);
      const first = await postWebhook(host.url, body, secret);
      expect(first.status, await first.text()).toBe(200);
      // Meta redelivers what it thinks failed: the same bytes again change nothing.
      expect((await postWebhook(host.url, body, secret)).status).toBe(200);
      await settle();
      const sent = sentTo(userId);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.text).toContain(`question beside ${shape.name}`);
      // Nothing was dead-lettered on the way.
      expect(host.broker.deadLetters('meta-events')).toEqual([]);
    });
  }

  it('answers a real DM exactly once whatever unknown items share its delivery (property, fixed seed)', async () => {
    await checkWithSeed(
      fc.asyncProperty(fc.constantFrom('page' as const, 'instagram' as const), oddCompany, async (object, company) => {
        host.graph.reset();
        const userId = nextUser();
        const body = JSON.stringify(
          surround(object, accountOf(object), dmItem(object, userId, 'property question'), company),
        );
        const res = await postWebhook(host.url, body, secret);
        expect(res.status, await res.text()).toBe(200);
        await settle();
        expect(sentTo(userId)).toHaveLength(1);
      }),
      12,
    );
    expect(host.broker.deadLetters('meta-events')).toEqual([]);
  });

  describe('policy enforcement', () => {
    const channelOf = async (platform: 'messenger' | 'instagram', account: string) =>
      (await host.runtime.cosmos.container('channels').item(`ch_${platform}_${account}`, TENANT).read<ChannelDoc>())
        .resource as ChannelDoc;
    const policy = (object: 'page' | 'instagram', action: 'block' | 'unblock', timestamp: number | string) =>
      JSON.stringify({
        object,
        entry: [
          {
            id: accountOf(object),
            time: Date.now(),
            messaging: [
              {
                recipient: { id: accountOf(object) },
                timestamp,
                'policy-enforcement': { action, ...(action === 'block' ? { reason: 'Policy violation' } : {}) },
              },
            ],
          },
        ],
      });

    for (const object of ['page', 'instagram'] as const) {
      const platform = object === 'page' ? 'messenger' : 'instagram';
      it(`${object}: a block stops every send and emails the owner once (EN/RO); unblock lifts it; an older event changes nothing`, async () => {
        const t0 = Date.now();
        // The block arrives with a timestamp sent as a string, in one body with a DM.
        const blockBody = JSON.stringify({
          object,
          entry: [
            {
              id: accountOf(object),
              time: t0,
              messaging: [
                JSON.parse(policy(object, 'block', String(t0))).entry[0].messaging[0],
                dmItem(object, nextUser(), 'hello?'),
              ],
            },
          ],
        });
        expect((await postWebhook(host.url, blockBody, secret)).status).toBe(200);
        expect((await postWebhook(host.url, blockBody, secret)).status).toBe(200);
        await settle();
        expect((await channelOf(platform, accountOf(object))).sendPolicy).toEqual({ blocked: true, at: t0 });
        const channelName = (await channelOf(platform, accountOf(object))).name;
        const blockMails = () =>
          host.mail.outbox.filter((m) => m.to === OWNER && m.subject === `Meta a blocat trimiterea pe ${channelName}`);
        expect(blockMails()).toHaveLength(1);

        // While blocked: DMs are stored, no reply is generated and nothing is sent.
        const blockedUser = nextUser();
        await postWebhook(
          host.url,
          JSON.stringify({
            object,
            entry: [
              { id: accountOf(object), time: Date.now(), messaging: [dmItem(object, blockedUser, 'anyone there?')] },
            ],
          }),
          secret,
        );
        await settle();
        expect(sentTo(blockedUser)).toHaveLength(0);
        expect(generator.calls.filter((c) => c.inbound[0]?.senderId === blockedUser)).toHaveLength(0);
        const { resources: stored } = await host.runtime.cosmos
          .container('messages')
          .items.query<MessageDoc>(
            {
              query: 'SELECT * FROM c WHERE c.tenantId = @t AND c.senderId = @u',
              parameters: [
                { name: '@t', value: TENANT },
                { name: '@u', value: blockedUser },
              ],
            },
            { partitionKey: TENANT },
          )
          .fetchAll();
        expect(stored).toHaveLength(1);

        // An unblock older than the block (a late redelivery) changes nothing.
        await postWebhook(host.url, policy(object, 'unblock', t0 - 1000), secret);
        await settle();
        expect((await channelOf(platform, accountOf(object))).sendPolicy?.blocked).toBe(true);

        // The real unblock lifts it: the next DM is answered.
        await postWebhook(host.url, policy(object, 'unblock', t0 + 1), secret);
        await settle();
        expect((await channelOf(platform, accountOf(object))).sendPolicy).toEqual({ blocked: false, at: t0 + 1 });
        const after = nextUser();
        await postWebhook(
          host.url,
          JSON.stringify({
            object,
            entry: [{ id: accountOf(object), time: Date.now(), messaging: [dmItem(object, after, 'and now?')] }],
          }),
          secret,
        );
        await settle();
        expect(sentTo(after)).toHaveLength(1);
        expect(blockMails()).toHaveLength(1);
      });
    }
  });
});
