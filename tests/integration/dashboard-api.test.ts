import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../functions/api-routes.js';
import type { LocalHost } from '../../local/host.js';
import { cosmosAuditRepository } from '../../shared/audit/index.js';
import { type ChannelDoc, openToken } from '../../shared/channels/channels.js';
import { checkChannelTokens } from '../../shared/channels/token-health.js';
import type { ContactDoc } from '../../shared/contacts/contact-document.js';
import type { ConversationDoc, MessageDoc } from '../../shared/conversations/documents.js';
import { ROLE_CLAIM, TENANT_CLAIM } from '../../shared/platform/principal.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { makeTenant } from '../helpers/tenants.js';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;

describe('dashboard API', () => {
  let host: LocalHost;
  let a: Tenant;
  let b: Tenant;
  let bIds: Record<string, string>;

  async function converse(
    t: Tenant,
    text: string,
    userId = `u${Date.now()}${Math.random().toString().slice(2, 6)}`,
    timestamp?: number,
  ) {
    await postWebhook(
      host.url,
      dm({ object: 'instagram', accountId: t.account, userId, text, timestamp }),
      host.runtime.settings.META_APP_SECRET,
    );
    await host.broker.whenIdle();
    const { resources } = await host.runtime.cosmos
      .container('conversations')
      .items.query<ConversationDoc>(`SELECT * FROM c WHERE c.tenantId = '${t.id}'`)
      .fetchAll();
    const { resources: contacts } = await host.runtime.cosmos
      .container('contacts')
      .items.query<ContactDoc>(`SELECT * FROM c WHERE c.tenantId = '${t.id}' AND c.platformUserId = '${userId}'`)
      .fetchAll();
    const contact = contacts[0] as ContactDoc;
    return { userId, contact, conversation: resources.find((c) => c.contactId === contact.id) as ConversationDoc };
  }

  async function snapshot(tenantId: string): Promise<string> {
    const out: unknown[] = [];
    for (const name of ['tenants', 'channels', 'contacts', 'conversations', 'messages', 'knowledge'] as const) {
      const { resources } = await host.runtime.cosmos
        .container(name)
        .items.query(`SELECT * FROM c WHERE c.tenantId = '${tenantId}'`)
        .fetchAll();
      out.push(
        resources
          .map(({ _ts, _etag, _rid, _self, _attachments, ...rest }) => rest)
          .sort((x, y) => String(x.id).localeCompare(String(y.id))),
      );
    }
    return JSON.stringify(out);
  }

  beforeAll(async () => {
    host = await startTestHost({ values: { BURST_WAIT_MS: '10' } });
    a = await makeTenant(host, { kb: true });
    b = await makeTenant(host, { kb: true });
    const bConversation = await converse(b, 'How much is balayage?');
    const doc = await api(host, b.owner, 'POST', '/api/v1/knowledge/documents?fileName=b.txt', {
      raw: Buffer.from('Tenant B private notes'),
      headers: { 'content-type': 'text/plain' },
    });
    const entry = await api(host, b.owner, 'POST', '/api/v1/knowledge/entries', {
      body: { kind: 'faq', data: { question: 'B only?', answer: 'B only.' } },
    });
    await host.runtime.cosmos
      .container('tenants')
      .item(b.id, b.id)
      .patch([
        {
          op: 'set',
          path: '/owner',
          value: { name: 'B Owner', email: 'b-owner@example.com', preferredLanguage: 'en', timeZone: 'UTC' },
        },
      ]);
    const exported = await api(host, b.owner, 'POST', '/api/v1/account/exports');
    const invitation = await api(host, b.owner, 'POST', '/api/v1/invitations', {
      body: { email: 'b-invitee@example.com', role: 'agent' },
    });
    await converse(b, 'Do you do botox injections?');
    await host.broker.whenIdle();
    const gaps = await api(host, b.owner, 'GET', '/api/v1/insights/gaps');
    bIds = {
      conversationId: bConversation.conversation.id,
      contactId: bConversation.contact.id,
      entryId: entry.body.id,
      documentId: doc.body.id,
      channelId: `ch_instagram_${b.account}`,
      memberSub: `auth0|owner-${b.id}`,
      exportId: exported.body.exportId,
      invitationId: invitation.body.id,
      gapId: gaps.body.items[0].id,
    };
  });
  afterAll(async () => host?.stop());

  describe('tenant isolation (BOLA/IDOR)', () => {
    const bodies: Record<string, unknown> = {
      'v1-knowledge-entries-update': { version: 1, data: { name: 'Hijacked', price: { amount: 1, currency: 'RON' } } },
      'v1-conversations-reply': { text: 'hello from A' },
      'v1-contacts-rectify': { name: 'Changed by A' },
      'v1-members-set': { role: 'agent' },
      'v1-conversations-assign': { assignee: null },
      'v1-insights-gaps-resolve': { answer: 'Answered by A' },
    };

    it("answers 404 for every one of tenant B's resources with tenant A's token, and changes nothing", async () => {
      const before = await snapshot(b.id);
      // Staff routes are platform-wide by design.
      const routes = API_ROUTES.filter((r) => r.path.includes('{') && !r.roles.includes('staff'));
      expect(routes.length).toBeGreaterThan(15);
      for (const route of routes) {
        const path = `/api/${route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(bIds[name] ?? 'x'))}`;
        const res = await api(
          host,
          a.owner,
          route.method,
          path,
          bodies[route.name] ? { body: bodies[route.name] } : {},
        );
        expect(res.status, `${route.method} ${path}`).toBe(404);
      }
      expect(await snapshot(b.id)).toBe(before);
    });

    it("never lists tenant B's data in tenant A's lists", async () => {
      for (const path of [
        '/api/v1/conversations',
        '/api/v1/contacts',
        '/api/v1/knowledge/entries',
        '/api/v1/knowledge/documents',
        '/api/v1/channels',
        '/api/v1/members',
        '/api/v1/audit',
      ]) {
        const res = await api(host, a.owner, 'GET', path);
        expect(res.status, path).toBe(200);
        expect(JSON.stringify(res.body), path).not.toContain(b.id);
        for (const id of Object.values(bIds)) expect(JSON.stringify(res.body), path).not.toContain(id);
      }
    });

    it('keeps agents to conversations', async () => {
      const ownerOnly = API_ROUTES.filter((r) => !r.anonymous && !r.signup && !r.roles.includes('agent'));
      expect(ownerOnly.length).toBeGreaterThan(10);
      for (const route of ownerOnly) {
        const path = `/api/${route.path.replace(/\{(\w+)\}/g, 'x')}`;
        const res = await api(host, a.agent, route.method, path);
        expect(res.status, `${route.method} ${path}`).toBe(403);
      }
      expect((await api(host, a.agent, 'GET', '/api/v1/conversations')).status).toBe(200);
    });

    it("keeps admins from changing the owner's details, not the company's", async () => {
      const t = await makeTenant(host, {
        extra: {
          owner: { name: 'Owner', email: 'owner@company.example', preferredLanguage: 'en', timeZone: 'UTC' },
          company: { name: 'Company', country: 'RO', businessType: 'shop' },
        },
      });
      // Outside audit M1: the owner's address is where the export link goes; an admin cannot redirect it.
      const redirect = await api(host, t.admin, 'PATCH', '/api/v1/account', {
        body: { owner: { email: 'admin-private@evil.example' } },
      });
      expect(redirect.status).toBe(403);
      expect(redirect.headers.get('content-type')).toBe('application/problem+json');
      expect(redirect.body.detail).toMatch(/Only the owner may change the owner's details/);
      const account = await api(host, t.owner, 'GET', '/api/v1/account');
      expect(account.body.owner.email).toBe('owner@company.example');
      const company = await api(host, t.admin, 'PATCH', '/api/v1/account', {
        body: { company: { website: 'https://admin-edit.example' } },
      });
      expect(company.status).toBe(200);
      expect(company.body.company.website).toBe('https://admin-edit.example');
    });

    it('keeps admins from deleting the account, changing roles and removing members', async () => {
      expect((await api(host, a.admin, 'DELETE', '/api/v1/account', { body: { confirm: 'x' } })).status).toBe(403);
      expect((await api(host, a.admin, 'PUT', '/api/v1/members/someone', { body: { role: 'admin' } })).status).toBe(
        403,
      );
      expect(
        (await api(host, a.admin, 'DELETE', `/api/v1/members/${encodeURIComponent(`auth0|agent-${a.id}`)}`)).status,
      ).toBe(403);
    });
  });

  describe('token attacks get 401', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const claims = () => ({
      sub: 'auth0|attacker',
      [ROLE_CLAIM]: 'owner',
      [TENANT_CLAIM]: a.id,
      iss: host.auth.issuer,
      aud: host.runtime.settings.AUTH_AUDIENCE,
      iat: now(),
      exp: now() + 600,
    });
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const expect401 = async (token: string, why: string) => {
      const res = await api(host, token, 'GET', '/api/v1/account');
      expect(res.status, why).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    };

    it('refuses alg none, a missing exp, and HS256 signed with the public key', async () => {
      await expect401(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`, 'alg none');
      const { exp: _exp, ...noExp } = claims();
      await expect401(await host.auth.signCustom(noExp), 'no exp');
      const jwks = (await (await fetch(`${host.url}/local/auth/.well-known/jwks.json`)).json()) as { keys: unknown[] };
      const hs = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: host.auth.kid })
        .sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0])));
      await expect401(hs, 'HS256 with the public key');
    });

    it('refuses expired and not-yet-valid tokens, wrong issuer and audience', async () => {
      await expect401(await host.auth.signCustom({ ...claims(), exp: now() - 120 }), 'expired');
      await expect401(await host.auth.signCustom({ ...claims(), nbf: now() + 600 }), 'not yet valid');
      await expect401(await host.auth.signCustom({ ...claims(), iss: 'https://evil.eu.auth0.com/' }), 'wrong issuer');
      await expect401(
        await host.auth.signCustom({ ...claims(), aud: 'https://another-api.example' }),
        'wrong audience',
      );
    });

    it('refuses an unknown kid, a tampered payload and a token from another issuer', async () => {
      await expect401(await host.auth.signCustom(claims(), { kid: 'unknown-key' }), 'unknown kid');
      const [h, , s] = a.owner.split('.');
      await expect401(`${h}.${b64({ ...claims(), [TENANT_CLAIM]: b.id })}.${s}`, 'tampered payload');
      const other = await generateKeyPair('RS256');
      const foreign = await new SignJWT({ ...claims(), iss: 'https://other-tenant.eu.auth0.com/' })
        .setProtectedHeader({ alg: 'RS256', kid: host.auth.kid })
        .sign(other.privateKey);
      await expect401(foreign, "another issuer's token");
      await expect401('not-a-token', 'garbage');
    });

    it('checks the tenant and membership a well-signed token names, and takes the role from the membership', async () => {
      const stranger = await host.auth.token({ sub: 'auth0|never-a-member', tenantId: a.id, role: 'owner' });
      const refused = await api(host, stranger, 'GET', '/api/v1/channels');
      expect(refused.status).toBe(401);
      expect(refused.body.type).toBe('https://aliat.app/problems/no-account');
      const gone = await host.auth.token({ sub: `auth0|owner-${a.id}`, tenantId: 'tn_no_such_tenant', role: 'owner' });
      expect((await api(host, gone, 'GET', '/api/v1/channels')).status).toBe(401);
      // The admin's membership says admin, whatever the token says.
      const inflated = await host.auth.token({ sub: `auth0|admin-${a.id}`, tenantId: a.id, role: 'owner' });
      expect((await api(host, inflated, 'GET', '/api/v1/audit')).status).toBe(403);
      expect((await api(host, inflated, 'GET', '/api/v1/members')).status).toBe(200);
    });

    it('keeps people signed in through a JWKS outage while the cached keys are valid', async () => {
      expect((await api(host, a.owner, 'GET', '/api/v1/channels')).status).toBe(200);
      host.auth.jwksDown = true;
      try {
        expect((await api(host, a.owner, 'GET', '/api/v1/channels')).status).toBe(200);
      } finally {
        host.auth.jwksDown = false;
      }
    });
  });

  describe('input validation', () => {
    it('refuses tenantId, role or id in a body (mass assignment), naming the field', async () => {
      const cases: Array<[string, string, unknown]> = [
        ['POST', '/api/v1/knowledge/entries', { kind: 'faq', data: { question: 'q?', answer: 'a' }, tenantId: b.id }],
        ['PATCH', '/api/v1/account', { company: { name: 'X' }, tenantId: b.id }],
        ['PATCH', '/api/v1/account', { owner: { role: 'staff' } }],
        ['PUT', '/api/v1/members/auth0|new', { role: 'owner' }],
      ];
      for (const [method, path, body] of cases) {
        const res = await api(host, a.owner, method, path, { body });
        expect(res.status, `${method} ${path}`).toBe(400);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(res.body.errors.length).toBeGreaterThan(0);
      }
      const res = await api(host, a.owner, 'PATCH', '/api/v1/account', {
        body: { company: { name: 'X' }, tenantId: b.id },
      });
      expect(JSON.stringify(res.body.errors)).toContain('tenantId');
    });

    it('names the field of an invalid body, refuses non-JSON and oversized bodies', async () => {
      const invalid = await api(host, a.owner, 'PUT', '/api/v1/settings/bot', { body: { enabled: 'yes' } });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors.map((e: { field: string }) => e.field)).toContain('enabled');
      const notJson = await api(host, a.owner, 'POST', '/api/v1/knowledge/entries', {
        raw: 'kind=faq',
        headers: { 'content-type': 'text/plain' },
      });
      expect(notJson.status).toBe(415);
      // No body at all names what is required, with or without a content type (outside audit AO).
      const variants: Array<Record<string, string>> = [{}, { 'content-type': 'application/json' }];
      for (const headers of variants) {
        const empty = await api(host, a.owner, 'DELETE', '/api/v1/account', { raw: '', headers });
        expect(empty.status).toBe(400);
        expect(empty.body.errors).toEqual([{ field: 'confirm', message: 'is required' }]);
      }
      const big = await api(host, a.owner, 'POST', '/api/v1/knowledge/entries', {
        body: { kind: 'faq', data: { question: 'q?', answer: 'x'.repeat(70_000) } },
      });
      expect(big.status).toBe(413);
    });
  });

  describe('rate limiting', () => {
    it('answers 429 with Retry-After past the per-tenant budget', async () => {
      const settings = host.runtime.settings as { API_RATE_LIMIT_PER_MINUTE: number };
      const usual = settings.API_RATE_LIMIT_PER_MINUTE;
      settings.API_RATE_LIMIT_PER_MINUTE = 3;
      try {
        const t = await makeTenant(host);
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let i = 0; i < 5; i++) {
          const res = await api(host, t.owner, 'GET', '/api/v1/channels');
          statuses.push(res.status);
          if (res.status === 429) retryAfter = res.headers.get('retry-after');
        }
        expect(statuses).toEqual([200, 200, 200, 429, 429]);
        expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      } finally {
        settings.API_RATE_LIMIT_PER_MINUTE = usual;
      }
    });
  });

  describe('account', () => {
    it('signs up, reads, updates, closes, reopens and schedules deletion, auditing each step', async () => {
      const sub = `auth0|new-${Date.now()}`;
      const newcomer = await host.auth.signCustom({
        sub,
        email: 'ana@example.ro',
        iss: host.auth.issuer,
        aud: host.runtime.settings.AUTH_AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 600,
      });
      // Outside audit M3: the owner address is the one signed in with.
      const stranger = await api(host, newcomer, 'POST', '/api/v1/account', {
        body: {
          owner: { name: 'Eve', email: 'ceo@bigcorp.example', preferredLanguage: 'en', timeZone: 'Europe/Bucharest' },
          company: { name: 'Click here', country: 'RO', businessType: 'shop' },
        },
      });
      expect(stranger.status).toBe(400);
      expect(stranger.headers.get('content-type')).toBe('application/problem+json');
      expect(stranger.body.errors).toEqual([
        { field: 'owner.email', message: 'must be the address you signed in with' },
      ]);
      const created = await api(host, newcomer, 'POST', '/api/v1/account', {
        body: {
          owner: {
            name: 'Ana Pop',
            email: 'ana@example.ro',
            preferredLanguage: 'ro',
            timeZone: 'Europe/Bucharest',
            jobTitle: 'Owner',
          },
          company: { name: 'Studio Ana', country: 'RO', businessType: 'salon', website: 'https://studio-ana.example' },
        },
      });
      expect(created.status).toBe(201);
      const tenantId = created.body.tenantId as string;
      expect(
        (
          await api(host, newcomer, 'POST', '/api/v1/account', {
            body: { owner: created.body.owner, company: created.body.company },
          })
        ).status,
      ).toBe(409);
      const owner = await host.auth.token({ sub, tenantId, role: 'owner' });
      expect((await api(host, owner, 'GET', '/api/v1/account')).body.company.name).toBe('Studio Ana');
      expect(
        (await api(host, owner, 'PATCH', '/api/v1/account', { body: { company: { website: 'https://ana.example' } } }))
          .body.company.website,
      ).toBe('https://ana.example');
      const closed = await api(host, owner, 'POST', '/api/v1/account/close');
      expect(closed.body).toMatchObject({
        status: 'closed',
        closedAt: expect.any(String),
        reopenUntil: expect.any(String),
      });
      expect(new Date(closed.body.reopenUntil).getTime() - new Date(closed.body.closedAt).getTime()).toBeGreaterThan(
        364 * 86_400_000,
      );
      expect((await api(host, owner, 'POST', '/api/v1/account/reopen')).body.status).toBe('active');
      expect((await api(host, owner, 'DELETE', '/api/v1/account', { body: { confirm: 'DELETE wrong' } })).status).toBe(
        400,
      );
      const deletion = await api(host, owner, 'DELETE', '/api/v1/account', { body: { confirm: 'DELETE Studio Ana' } });
      expect(deletion.status).toBe(202);
      // The token still within its hour opens nothing of an account being deleted (outside audit S1).
      for (const [method, path] of [
        ['GET', '/api/v1/audit'],
        ['GET', '/api/v1/knowledge/entries'],
        ['POST', '/api/v1/account/reopen'],
      ] as const) {
        const refused = await api(host, owner, method, path);
        expect(refused.status, `${method} ${path}`).toBe(401);
        expect(refused.body.type).toBe('https://aliat.app/problems/no-account');
      }
      const log = await cosmosAuditRepository(host.runtime.cosmos).page(tenantId, {
        secret: 'test',
        kind: 'audit',
        limit: 50,
      });
      expect(log.items.map((e) => e.action).sort()).toEqual([
        'account.close',
        'account.create',
        'account.delete_requested',
        'account.reopen',
        'account.update',
      ]);
      expect(JSON.stringify(log.items)).not.toContain('ana@example.ro');
      // Nor does any other route a tenant's token may call: the check is the API's, not each route's.
      const tenantRoutes = API_ROUTES.filter((r) => !r.anonymous && !r.signup && r.roles.some((x) => x !== 'staff'));
      expect(tenantRoutes.length).toBeGreaterThan(40);
      for (const route of tenantRoutes) {
        const path = `/api/${route.path.replace(/\{(\w+)\}/g, 'x')}`;
        const refused = await api(host, owner, route.method, path);
        expect(refused.status, `${route.method} ${path}`).toBe(401);
        expect(refused.body.type, `${route.method} ${path}`).toBe('https://aliat.app/problems/no-account');
      }
    });
  });

  describe('channels', () => {
    it('connects with a checked token, stores it encrypted and subscribes the Page', async () => {
      const t = await makeTenant(host);
      const token = 'EAA.700000000000001.aliat-secret-page-token';
      const res = await api(host, t.owner, 'POST', '/api/v1/channels', {
        body: {
          platform: 'messenger',
          accountId: '700000000000001',
          pageId: '700000000000001',
          name: 'Studio Page',
          pageAccessToken: token,
        },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`/api/v1/channels/${res.body.id}`);
      expect(res.body.status).toBe('connected');
      // The Location answers with the channel (frontend review: it answered 405).
      const read = await api(host, t.owner, 'GET', res.headers.get('location') ?? '');
      expect(read.status).toBe(200);
      expect(read.body).toEqual(res.body);
      expect(host.graph.subscriptions.get('700000000000001')).toContain('messages');
      // §10 encryption: the raw document does not hold the token.
      const raw = (await host.runtime.cosmos.container('channels').item(res.body.id, t.id).read<ChannelDoc>())
        .resource as ChannelDoc;
      expect(JSON.stringify(raw)).not.toContain('aliat-secret-page-token');
      expect(openToken(host.runtime, raw)).toBe(token);
      // A ciphertext copied to another tenant's channel, or with a cut tag, does not decrypt.
      expect(() => openToken(host.runtime, { ...raw, tenantId: a.id })).toThrow(/Could not decrypt/);
      expect(() => openToken(host.runtime, { ...raw, accountId: '700000000000002' })).toThrow(/Could not decrypt/);
      const cut = {
        ...raw,
        token: { ...raw.token!, tag: Buffer.from(raw.token!.tag, 'base64').subarray(0, 12).toString('base64') },
      };
      expect(() => openToken(host.runtime, cut)).toThrow(/16 bytes/);
      // Another tenant cannot take the same account.
      expect(
        (
          await api(host, a.owner, 'POST', '/api/v1/channels', {
            body: {
              platform: 'messenger',
              accountId: '700000000000001',
              pageId: '700000000000001',
              name: 'Mine',
              pageAccessToken: token,
            },
          })
        ).status,
      ).toBe(409);
      const gone = await api(host, t.owner, 'DELETE', `/api/v1/channels/${res.body.id}`);
      expect(gone.body.status).toBe('disconnected');
      const after = (await host.runtime.cosmos.container('channels').item(res.body.id, t.id).read<ChannelDoc>())
        .resource;
      expect(after?.token).toBeUndefined();
      expect(host.graph.subscriptions.has('700000000000001')).toBe(false);
      const actions = (await api(host, t.owner, 'GET', '/api/v1/audit')).body.items.map(
        (e: { action: string }) => e.action,
      );
      expect(actions).toEqual(
        expect.arrayContaining(['channel.connect', 'channel.token_used_for_subscription', 'channel.disconnect']),
      );
    });

    it('warns the owner about a token that is about to expire, before the channel goes silent', async () => {
      const t = await makeTenant(host, {
        extra: {
          owner: { name: 'O', email: `expiring-${Date.now()}@example.com`, preferredLanguage: 'en', timeZone: 'UTC' },
        },
      });
      const channelId = `ch_instagram_${t.account}`;
      const channel = (await host.runtime.cosmos.container('channels').item(channelId, t.id).read<ChannelDoc>())
        .resource as ChannelDoc;
      const { sealToken } = await import('../../shared/channels/channels.js');
      await host.runtime.cosmos
        .container('channels')
        .item(channelId, t.id)
        .replace({ ...channel, token: sealToken(host.runtime, t.id, t.account, `EAA.expiring.${t.page}`) });
      await checkChannelTokens(host.runtime);
      await host.broker.whenIdle();
      const listed = (await api(host, t.owner, 'GET', '/api/v1/channels')).body.items[0];
      expect(listed).toMatchObject({
        status: 'connected',
        statusReason: 'token_expiring',
        tokenExpiresAt: expect.any(String),
      });
      const owner = (
        (await host.runtime.cosmos.container('tenants').item(t.id, t.id).read()).resource as {
          owner: { email: string };
        }
      ).owner.email;
      expect(host.mail.outbox.filter((m) => m.to === owner).map((m) => m.subject)).toEqual([
        expect.stringMatching(/^Reconnect .+ to keep answering$/),
      ]);
    });

    it('re-seals tokens under a new key during a key rotation', async () => {
      const t = await makeTenant(host);
      const channelId = `ch_instagram_${t.account}`;
      const settings = host.runtime.settings as {
        TOKEN_ENCRYPTION_KEY: string;
        TOKEN_ENCRYPTION_KEY_PREVIOUS?: string;
      };
      const old = settings.TOKEN_ENCRYPTION_KEY;
      settings.TOKEN_ENCRYPTION_KEY_PREVIOUS = old;
      settings.TOKEN_ENCRYPTION_KEY = Buffer.alloc(32, 9).toString('base64');
      try {
        const before = (await host.runtime.cosmos.container('channels').item(channelId, t.id).read<ChannelDoc>())
          .resource as ChannelDoc;
        expect(openToken(host.runtime, before)).toBe(`EAA.${t.id}`);
        await checkChannelTokens(host.runtime);
        const after = (await host.runtime.cosmos.container('channels').item(channelId, t.id).read<ChannelDoc>())
          .resource as ChannelDoc;
        expect(after.token?.ct).not.toBe(before.token?.ct);
        settings.TOKEN_ENCRYPTION_KEY_PREVIOUS = undefined;
        expect(openToken(host.runtime, after)).toBe(`EAA.${t.id}`);
        expect(() => openToken(host.runtime, before)).toThrow(/Could not decrypt/);
      } finally {
        settings.TOKEN_ENCRYPTION_KEY = old;
        settings.TOKEN_ENCRYPTION_KEY_PREVIOUS = undefined;
      }
    });

    it('refuses a token Facebook rejects', async () => {
      const t = await makeTenant(host);
      const res = await api(host, t.owner, 'POST', '/api/v1/channels', {
        body: {
          platform: 'messenger',
          accountId: '700000000000009',
          pageId: '700000000000009',
          name: 'x',
          pageAccessToken: 'invalid-token-for-this-page',
        },
      });
      expect(res.status).toBe(422);
    });

    it('flags a channel whose token died in the daily check', async () => {
      const t = await makeTenant(host);
      const channelId = `ch_instagram_${t.account}`;
      const channel = (await host.runtime.cosmos.container('channels').item(channelId, t.id).read<ChannelDoc>())
        .resource as ChannelDoc;
      const { sealToken } = await import('../../shared/channels/channels.js');
      await host.runtime.cosmos
        .container('channels')
        .item(channelId, t.id)
        .replace({ ...channel, token: sealToken(host.runtime, t.id, t.account, 'invalid-expired-token') });
      const result = await checkChannelTokens(host.runtime);
      expect(result.flagged).toBeGreaterThanOrEqual(1);
      const listed = await api(host, t.owner, 'GET', '/api/v1/channels');
      expect(listed.body.items[0]).toMatchObject({ status: 'needs_reconnection', statusReason: 'token_invalid' });
    });
  });

  describe('conversations', () => {
    it('lists with filters and continuation pages, and reads messages', async () => {
      const t = await makeTenant(host, { kb: true });
      for (const q of ['How much is a pedicure?', 'Do you have wifi?', 'vreau să vorbesc cu un om'])
        await converse(t, q);
      const first = await api(host, t.agent, 'GET', '/api/v1/conversations?limit=2');
      expect(first.body.items).toHaveLength(2);
      expect(first.body.continuationToken).toBeDefined();
      const second = await api(
        host,
        t.agent,
        'GET',
        `/api/v1/conversations?limit=2&continuationToken=${encodeURIComponent(first.body.continuationToken)}`,
      );
      expect(second.body.items).toHaveLength(1);
      const human = await api(host, t.agent, 'GET', '/api/v1/conversations?state=human');
      expect(human.body.items).toHaveLength(1);
      expect((await api(host, t.agent, 'GET', '/api/v1/conversations?unread=true')).body.items).toHaveLength(3);
      expect(
        (
          await api(
            host,
            t.agent,
            'GET',
            `/api/v1/conversations?updatedSince=${new Date(Date.now() + 60_000).toISOString()}`,
          )
        ).body.items,
      ).toHaveLength(0);
      const messages = await api(host, t.agent, 'GET', `/api/v1/conversations/${human.body.items[0].id}/messages`);
      // Newest first, and reading marks nothing read: only POST .../read does, for the caller only.
      expect(messages.body.items.map((m: { direction: string }) => m.direction)).toEqual(['out', 'in']);
      expect((await api(host, t.agent, 'GET', `/api/v1/conversations/${human.body.items[0].id}`)).body.unread).toBe(1);
      expect(
        (await api(host, t.agent, 'POST', `/api/v1/conversations/${human.body.items[0].id}/read`)).body.unread,
      ).toBe(0);
      expect((await api(host, t.agent, 'GET', `/api/v1/conversations/${human.body.items[0].id}`)).body.unread).toBe(0);
      expect((await api(host, t.owner, 'GET', `/api/v1/conversations/${human.body.items[0].id}`)).body.unread).toBe(1);
    });

    it('sends a human reply with the right window rules, and refuses after 7 days', async () => {
      const t = await makeTenant(host);
      const fresh = await converse(t, 'hello');
      const reply = await api(host, t.agent, 'POST', `/api/v1/conversations/${fresh.conversation.id}/messages`, {
        body: { text: 'Hi, Maria here.' },
      });
      expect(reply.status).toBe(202);
      await host.broker.whenIdle();
      expect(
        host.graph
          .messages()
          .filter((m) => m.recipient === fresh.userId)
          .at(-1),
      ).toMatchObject({ text: 'Hi, Maria here.', messaging_type: 'RESPONSE' });
      const old = await converse(t, 'old question', undefined, Date.now() - 3 * 86_400_000);
      await api(host, t.agent, 'POST', `/api/v1/conversations/${old.conversation.id}/messages`, {
        body: { text: 'Sorry for the wait!' },
      });
      await host.broker.whenIdle();
      expect(
        host.graph
          .messages()
          .filter((m) => m.recipient === old.userId)
          .at(-1),
      ).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
      const ancient = await converse(t, 'ancient question', undefined, Date.now() - 8 * 86_400_000);
      const closed = await api(host, t.agent, 'POST', `/api/v1/conversations/${ancient.conversation.id}/messages`, {
        body: { text: 'Too late' },
      });
      expect(closed.status).toBe(422);
      expect(closed.body.type).toMatch(/messaging-window-closed$/);
    });

    it('takes over, hands back, resolves and deletes for good', async () => {
      const t = await makeTenant(host);
      const c = await converse(t, 'hello there');
      const id = c.conversation.id;
      expect((await api(host, t.agent, 'POST', `/api/v1/conversations/${id}/takeover`)).body.state).toBe('human');
      expect((await api(host, t.agent, 'POST', `/api/v1/conversations/${id}/handback`)).body.state).toBe('bot');
      // A second hand back (or takeover) is idempotent: 200, and no new transition.
      const again = await api(host, t.agent, 'POST', `/api/v1/conversations/${id}/handback`);
      expect(again.status).toBe(200);
      expect(again.body.state).toBe('bot');
      expect(again.body.transitions.filter((x: { event: string }) => x.event === 'hand_back')).toHaveLength(1);
      expect((await api(host, t.agent, 'POST', `/api/v1/conversations/${id}/resolve`)).body.resolvedAt).toBeDefined();
      expect((await api(host, t.owner, 'DELETE', `/api/v1/conversations/${id}`)).status).toBe(204);
      const { resources } = await host.runtime.cosmos
        .container('messages')
        .items.query<MessageDoc>(`SELECT * FROM c WHERE c.conversationId = '${id}'`)
        .fetchAll();
      expect(resources).toHaveLength(0);
      expect((await api(host, t.agent, 'GET', `/api/v1/conversations/${id}`)).status).toBe(404);
    });
  });

  describe('contacts', () => {
    it('rectifies, restricts (bot stops, nothing new stored), lifts, exports and deletes', async () => {
      const t = await makeTenant(host, { kb: true });
      const c = await converse(t, 'How much is a pedicure?');
      const id = c.contact.id;
      expect(
        (await api(host, t.owner, 'PATCH', `/api/v1/contacts/${id}`, { body: { name: 'Ana P.' } })).body.name,
      ).toBe('Ana P.');
      expect((await api(host, t.owner, 'POST', `/api/v1/contacts/${id}/restriction`)).body.restrictedAt).toBeDefined();
      const sentBefore = host.graph.messages().filter((m) => m.recipient === c.userId).length;
      await converse(t, 'Do you have wifi?', c.userId);
      expect(host.graph.messages().filter((m) => m.recipient === c.userId)).toHaveLength(sentBefore);
      const { resources } = await host.runtime.cosmos
        .container('messages')
        .items.query<MessageDoc>(`SELECT * FROM c WHERE c.contactId = '${id}' AND c.direction = 'in'`)
        .fetchAll();
      expect(resources.map((m) => m.text)).toEqual(['How much is a pedicure?']);
      expect((await api(host, t.owner, 'GET', `/api/v1/conversations/${c.conversation.id}`)).body.state).toBe(
        'restricted',
      );
      expect(
        (await api(host, t.owner, 'DELETE', `/api/v1/contacts/${id}/restriction`)).body.restrictedAt,
      ).toBeUndefined();
      const exported = await api(host, t.owner, 'GET', `/api/v1/contacts/${id}/export`);
      expect(exported.body.format).toBe('aliat.contact-export.v1');
      expect(exported.body.conversations[0].messages.length).toBeGreaterThanOrEqual(2);
      expect((await api(host, t.owner, 'DELETE', `/api/v1/contacts/${id}`)).status).toBe(204);
      expect((await api(host, t.owner, 'GET', `/api/v1/contacts/${id}`)).status).toBe(404);
      const { resources: left } = await host.runtime.cosmos
        .container('messages')
        .items.query(`SELECT * FROM c WHERE c.contactId = '${id}'`)
        .fetchAll();
      expect(left).toHaveLength(0);
      const log = (await api(host, t.owner, 'GET', '/api/v1/audit')).body.items;
      expect(log.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining([
          'contact.rectify',
          'contact.restrict',
          'contact.lift_restriction',
          'contact.export',
          'contact.delete',
        ]),
      );
      expect(JSON.stringify(log)).not.toContain('Ana P.');
    });
  });

  describe('bot settings', () => {
    it('reads and replaces them, auditing which fields changed', async () => {
      const t = await makeTenant(host);
      const current = (await api(host, t.owner, 'GET', '/api/v1/settings/bot')).body;
      const next = { ...current, aiDisclosure: false, handoffThreshold: 0.7, handoffPhrases: ['manager'] };
      expect((await api(host, t.admin, 'PUT', '/api/v1/settings/bot', { body: next })).body).toEqual(next);
      const [entry] = (await api(host, t.owner, 'GET', '/api/v1/audit')).body.items;
      expect(entry).toMatchObject({
        action: 'settings.update',
        details: { fields: ['aiDisclosure', 'handoffThreshold', 'handoffPhrases'] },
      });
    });
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const doc = (await (await fetch(`${host.url}/api/v1/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).length).toBeGreaterThan(20);
    expect(doc.components.schemas).toHaveProperty('Problem');
    expect(doc.components.schemas).toHaveProperty('Conversation');
  });
});
