import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import type { RouteDoc } from '../../shared/channels/channels.js';
import type { MessageDoc } from '../../shared/conversations/documents.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { checkWithSeed } from '../helpers/meta-arbitraries.js';
import { makeTenant } from '../helpers/tenants.js';

type Platform = 'messenger' | 'instagram';
type Claim = { platform: Platform; accountId: string; pageId: string; name: string; pageAccessToken: string };

// Tenant B's real Page and the Instagram account linked to it; tenant A's own; ids nobody connected.
const PAGE_B = '720000000000001';
const IG_B = '17841472000000001';
const PAGE_A = '720000000000002';
const IG_A = '17841472000000002';
const PAGE_UNLINKED = '720000000000003';
const PAGE_OTHER = '720000000000004';
const tokenFor = (page: string, tag: string) => `EAA.${page}.${tag}-page-token`;

/**
 * Channel squatting (issue 12, defect 2): a tenant may connect a Page or Instagram account only by
 * proving through the Graph API, with the token it supplies, that the token controls both the Page
 * and the account id that routes webhooks. The 409 for an account connected elsewhere comes only
 * after that proof, so a failed proof says nothing about whether the id is taken.
 */
describe('channels: connecting proves control of both ids', () => {
  let host: LocalHost;
  let a: Awaited<ReturnType<typeof makeTenant>>;
  let b: Awaited<ReturnType<typeof makeTenant>>;
  const connect = (token: string, claim: Omit<Claim, 'name'>) =>
    api(host, token, 'POST', '/api/v1/channels', { body: { name: 'Claimed', ...claim } });
  /** What a caller learns from an answer: status, problem type and the fields blamed (not the request's own ids). */
  const answerOf = (res: { status: number; body: { type?: string; errors?: unknown } }) => ({
    status: res.status,
    type: res.body.type,
    errors: res.body.errors,
  });

  beforeAll(async () => {
    host = await startTestHost({ values: { BURST_WAIT_MS: '20' } });
    host.graph.linkInstagram(PAGE_B, IG_B);
    host.graph.linkInstagram(PAGE_A, IG_A);
    a = await makeTenant(host);
    b = await makeTenant(host);
    // B connects its Page and its Instagram account the honest way.
    expect(
      (
        await connect(b.owner, {
          platform: 'messenger',
          accountId: PAGE_B,
          pageId: PAGE_B,
          pageAccessToken: tokenFor(PAGE_B, 'b'),
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await connect(b.owner, {
          platform: 'instagram',
          accountId: IG_B,
          pageId: PAGE_B,
          pageAccessToken: tokenFor(PAGE_B, 'b'),
        })
      ).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await host?.stop();
  });

  async function routeTenant(platform: Platform, accountId: string): Promise<string | undefined> {
    const id = `${platform}:${accountId}`;
    return (await host.runtime.cosmos.container('routes').item(id, id).read<RouteDoc>()).resource?.tenantId;
  }

  it.each<[string, Omit<Claim, 'name'>, string]>([
    [
      'Messenger: B’s Page as the account, A’s own Page and token',
      { platform: 'messenger', accountId: PAGE_B, pageId: PAGE_A, pageAccessToken: tokenFor(PAGE_A, 'a') },
      'accountId',
    ],
    [
      'Messenger: B’s Page with A’s token',
      { platform: 'messenger', accountId: PAGE_B, pageId: PAGE_B, pageAccessToken: tokenFor(PAGE_A, 'a') },
      'pageAccessToken',
    ],
    [
      'Instagram: B’s account under A’s Page and token',
      { platform: 'instagram', accountId: IG_B, pageId: PAGE_A, pageAccessToken: tokenFor(PAGE_A, 'a') },
      'accountId',
    ],
    [
      'Instagram: B’s account under B’s Page with A’s token',
      { platform: 'instagram', accountId: IG_B, pageId: PAGE_B, pageAccessToken: tokenFor(PAGE_A, 'a') },
      'pageAccessToken',
    ],
    [
      'Instagram: a Page with no linked account',
      { platform: 'instagram', accountId: IG_B, pageId: PAGE_UNLINKED, pageAccessToken: tokenFor(PAGE_UNLINKED, 'u') },
      'accountId',
    ],
    [
      'a token for another Page than the one claimed',
      { platform: 'messenger', accountId: PAGE_A, pageId: PAGE_A, pageAccessToken: tokenFor(PAGE_OTHER, 'x') },
      'pageAccessToken',
    ],
  ])('refuses %s with 400, and B keeps its DMs', async (_name, claim, field) => {
    const res = await connect(a.owner, claim);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    expect(await routeTenant('messenger', PAGE_B)).toBe(b.id);
    expect(await routeTenant('instagram', IG_B)).toBe(b.id);
    expect(
      (await api(host, a.owner, 'GET', '/api/v1/channels')).body.items.map((c: { accountId: string }) => c.accountId),
    ).not.toContain(claim.accountId);
  });

  it('refuses an Instagram account that is not the one linked to the Page, even the tenant’s own Page', async () => {
    const res = await connect(a.owner, {
      platform: 'instagram',
      accountId: '17841472000000999',
      pageId: PAGE_A,
      pageAccessToken: tokenFor(PAGE_A, 'a'),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'accountId', message: 'is not the Instagram account linked to pageId' }]);
  });

  it('answers a failed proof for B’s ids exactly as for ids nobody connected, so ids cannot be enumerated', async () => {
    const twins: Record<string, string> = { [PAGE_B]: '720000000000777', [IG_B]: '17841472000000777' };
    const attempt = fc.record({
      platform: fc.constantFrom<Platform>('messenger', 'instagram'),
      accountId: fc.constantFrom(PAGE_B, IG_B),
      pageId: fc.constantFrom(PAGE_A, PAGE_B, PAGE_UNLINKED, PAGE_OTHER),
      tokenPage: fc.constantFrom(PAGE_A, PAGE_UNLINKED, PAGE_OTHER, 'invalid'),
    });
    await checkWithSeed(
      fc.asyncProperty(attempt, async ({ platform, accountId, pageId, tokenPage }) => {
        const pageAccessToken =
          tokenPage === 'invalid' ? 'invalid-token-of-the-attacker' : tokenFor(tokenPage, 'attacker');
        const taken = await connect(a.owner, { platform, accountId, pageId, pageAccessToken });
        const free = await connect(a.owner, {
          platform,
          accountId: twins[accountId] as string,
          pageId,
          pageAccessToken,
        });
        // Never a 409 (which would say "taken") and never a connection: the attacker holds no token of B's.
        expect([400, 422]).toContain(taken.status);
        expect(answerOf(taken)).toEqual(answerOf(free));
      }),
      40,
    );
    expect(await routeTenant('messenger', PAGE_B)).toBe(b.id);
    expect(await routeTenant('instagram', IG_B)).toBe(b.id);
  });

  it('gives the 409 only to a tenant whose token proves the account, and B still gets its customers’ DMs', async () => {
    // A token that really controls B's Page (as if B had shared it) passes the proof; only then does the 409 come.
    for (const platform of ['messenger', 'instagram'] as const) {
      const res = await connect(a.owner, {
        platform,
        accountId: platform === 'messenger' ? PAGE_B : IG_B,
        pageId: PAGE_B,
        pageAccessToken: tokenFor(PAGE_B, 'shared'),
      });
      expect(res.status).toBe(409);
    }
    // A connects what it does control.
    expect(
      (
        await connect(a.owner, {
          platform: 'messenger',
          accountId: PAGE_A,
          pageId: PAGE_A,
          pageAccessToken: tokenFor(PAGE_A, 'a'),
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await connect(a.owner, {
          platform: 'instagram',
          accountId: IG_A,
          pageId: PAGE_A,
          pageAccessToken: tokenFor(PAGE_A, 'a'),
        })
      ).status,
    ).toBe(201);
    // A customer writing to B's Instagram account lands in B's inbox, not A's.
    const userId = `5${Date.now()}`;
    expect(
      (
        await postWebhook(
          host.url,
          dm({ object: 'instagram', accountId: IG_B, userId, text: 'is Saturday free?' }),
          host.runtime.settings.META_APP_SECRET,
        )
      ).status,
    ).toBe(200);
    await host.broker.whenIdle();
    const { resources } = await host.runtime.cosmos
      .container('messages')
      .items.query<MessageDoc>({
        query: "SELECT * FROM c WHERE c.senderId = @u AND c.direction = 'in'",
        parameters: [{ name: '@u', value: userId }],
      })
      .fetchAll();
    expect(resources.map((m) => m.tenantId)).toEqual([b.id]);
  });
});
