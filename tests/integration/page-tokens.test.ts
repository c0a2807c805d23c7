import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../functions/api-routes.js';
import type { LocalHost } from '../../local/host.js';
import { audit } from '../../shared/audit/audit.js';
import type { ConversationDoc } from '../../shared/conversations/documents.js';
import { sealPageToken } from '../../shared/platform/page-token.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { makeTenant } from '../helpers/tenants.js';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;

/**
 * Every list route: the ones whose query takes a continuationToken. Found from the catalogue, so a new list is covered
 * too.
 */
const PAGED = API_ROUTES.filter((r) => {
  const shape = (r.query as unknown as { shape?: Record<string, unknown> } | undefined)?.shape;
  return r.method === 'GET' && shape !== undefined && 'continuationToken' in shape;
});

/** What callers have sent as tokens: JSON scalars, JSON containers, junk, and store cursors of their own making. */
const BAD_TOKENS = [
  '-1',
  '0',
  'true',
  'null',
  '{}',
  '[]',
  '{"token":"-RID:~abc#RT:1"}',
  'garbage',
  '%00',
  'a.b',
  'x'.repeat(3000),
  '+RID:~AAAAAA==#RT:1#TRC:1',
  'é',
  '..',
];

describe('opaque page tokens (issue 12, defect 7)', () => {
  let host: LocalHost;
  let a: Tenant;
  let b: Tenant;
  let conversationId: string;

  /** Path with its ids, and the query a list requires besides paging (every seeded DM says "again"). */
  const pathOf = (path: string) =>
    `/api/${path.replace('{conversationId}', conversationId)}?${path === 'v1/messages' ? 'q=again&' : ''}`;
  const tokenOf = (t: Tenant) => t.owner;

  async function expectBadToken(
    res: { status: number; body: { type?: string; errors?: Array<{ field: string }> }; headers: Headers },
    what: string,
  ) {
    expect(res.status, what).toBe(400);
    expect(res.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
    // A token longer than the list accepts fails validation before it is opened; either way the field is named.
    expect(res.body.type, what).toMatch(
      /^https:\/\/aliat\.app\/problems\/(invalid-page-token|validation|bad-request)$/,
    );
    expect(res.body.errors?.[0]?.field, what).toBe('query.continuationToken');
  }

  beforeAll(async () => {
    host = await startTestHost({ values: { BURST_WAIT_MS: '10' } });
    a = await makeTenant(host, { kb: true });
    b = await makeTenant(host, { kb: true });
    for (const [i, text] of [
      'How much is balayage? Asking again',
      'Do you do nails? again',
      'Opening hours again?',
    ].entries()) {
      await postWebhook(
        host.url,
        dm({ object: 'instagram', accountId: a.account, userId: `pt-user-${i}`, text }),
        host.runtime.settings.META_APP_SECRET,
      );
      await postWebhook(
        host.url,
        dm({ object: 'instagram', accountId: a.account, userId: 'pt-user-0', text: `${text} (again)` }),
        host.runtime.settings.META_APP_SECRET,
      );
    }
    await host.broker.whenIdle();
    for (let i = 0; i < 3; i++)
      await audit(host.runtime, { tenantId: a.id, action: 'channel.connect', actor: { sub: 'test', role: 'owner' } });
    for (const name of ['one.txt', 'two.txt'])
      await api(host, a.owner, 'POST', `/api/v1/knowledge/documents?fileName=${name}`, {
        raw: Buffer.from(`Notes in ${name}`),
        headers: { 'content-type': 'text/plain' },
      });
    const { resources } = await host.runtime.cosmos
      .container('conversations')
      .items.query<ConversationDoc>({
        query: 'SELECT * FROM c WHERE c.tenantId = @t',
        parameters: [{ name: '@t', value: a.id }],
      })
      .fetchAll();
    conversationId = resources[0]?.id as string;
    expect(resources.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(async () => host?.stop());

  it('covers every list route of the API', () => {
    expect(PAGED.map((r) => r.name).sort()).toEqual([
      'v1-audit-list',
      'v1-contacts-list',
      'v1-conversations-list',
      'v1-conversations-messages',
      'v1-knowledge-documents-list',
      'v1-knowledge-entries-list',
      'v1-messages-search',
    ]);
  });

  for (const route of PAGED) {
    describe(route.path, () => {
      it('hands out an opaque token that walks every page once', async () => {
        const seen: string[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const res = await api(
            host,
            tokenOf(a),
            'GET',
            `${pathOf(route.path)}limit=1${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`,
          );
          expect(res.status).toBe(200);
          seen.push(...res.body.items.map((i: { id?: string; messageId?: string }) => i.id ?? i.messageId));
          token = res.body.continuationToken;
          if (token) expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
          pages++;
        } while (token && pages < 20);
        expect(pages).toBeGreaterThanOrEqual(2);
        expect(new Set(seen).size).toBe(seen.length);
      });

      it('answers 400 problem+json, never 500 and never page 1, for a token it did not issue', async () => {
        for (const bad of BAD_TOKENS) {
          const res = await api(
            host,
            tokenOf(a),
            'GET',
            `${pathOf(route.path)}limit=1&continuationToken=${encodeURIComponent(bad)}`,
          );
          await expectBadToken(res, `${route.path} with ${JSON.stringify(bad.slice(0, 30))}`);
        }
      });

      it("refuses the store's own cursor passed through unwrapped", async () => {
        const first = await api(host, tokenOf(a), 'GET', `${pathOf(route.path)}limit=1`);
        const payload = JSON.parse(
          Buffer.from(String(String(first.body.continuationToken).split('.')[0]), 'base64url').toString('utf8'),
        ).p;
        // A Cosmos continuation for Cosmos-paged lists, the message cursor as plain JSON for messages.
        const raw = typeof payload.c === 'string' ? payload.c : JSON.stringify(payload);
        expect(raw.length).toBeGreaterThan(0);
        await expectBadToken(
          await api(
            host,
            tokenOf(a),
            'GET',
            `${pathOf(route.path)}limit=1&continuationToken=${encodeURIComponent(raw)}`,
          ),
          'raw continuation',
        );
      });

      it("refuses tenant A's token when tenant B presents it, and a token of another list", async () => {
        const first = await api(host, tokenOf(a), 'GET', `${pathOf(route.path)}limit=1`);
        const token = encodeURIComponent(first.body.continuationToken);
        if (route.name !== 'v1-conversations-messages')
          await expectBadToken(
            await api(host, tokenOf(b), 'GET', `${pathOf(route.path)}limit=1&continuationToken=${token}`),
            'other tenant',
          );
        for (const other of PAGED.filter((o) => o.name !== route.name)) {
          await expectBadToken(
            await api(host, tokenOf(a), 'GET', `${pathOf(other.path)}limit=1&continuationToken=${token}`),
            `token of ${route.name} on ${other.name}`,
          );
        }
      });
    });
  }

  it('refuses a token carried over to other filters of the same list', async () => {
    const first = await api(host, a.owner, 'GET', '/api/v1/conversations?limit=1');
    const res = await api(
      host,
      a.owner,
      'GET',
      `/api/v1/conversations?limit=1&state=human&continuationToken=${encodeURIComponent(first.body.continuationToken)}`,
    );
    await expectBadToken(res, 'other filters');
  });

  it('refuses a well-signed token whose payload is not a continuation, and one signed with another secret', async () => {
    const wrongShape = sealPageToken(host.runtime.settings.PAGE_TOKEN_SECRET, 'v1-contacts-list', a.id, [1, 2, 3]);
    await expectBadToken(
      await api(host, a.owner, 'GET', `/api/v1/contacts?continuationToken=${encodeURIComponent(wrongShape)}`),
      'wrong payload',
    );
    const otherSecret = sealPageToken('not-the-deployed-secret', 'v1-contacts-list', a.id, { c: 'x', q: 'y' });
    await expectBadToken(
      await api(host, a.owner, 'GET', `/api/v1/contacts?continuationToken=${encodeURIComponent(otherSecret)}`),
      'other secret',
    );
  });
});
