import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../functions/api-routes.js';
import type { LocalHost } from '../../local/host.js';
import type { ContactDoc } from '../../shared/contacts/contact-document.js';
import type { ConversationDoc } from '../../shared/conversations/documents.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { makeTenant } from '../helpers/tenants.js';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;

// Tenant B attacks tenant A from outside, through the public HTTP API only.
describe('cross-tenant attacks after the repository refactor', () => {
  let host: LocalHost;
  let a: Tenant;
  let b: Tenant;
  let aIds: Record<string, string>;
  let bIds: Record<string, string>;

  async function converse(t: Tenant, text: string) {
    const userId = `u${Date.now()}${Math.random().toString().slice(2, 6)}`;
    await postWebhook(
      host.url,
      dm({ object: 'instagram', accountId: t.account, userId, text }),
      host.runtime.settings.META_APP_SECRET,
    );
    await host.broker.whenIdle();
    const { resources: contacts } = await host.runtime.cosmos
      .container('contacts')
      .items.query<ContactDoc>(`SELECT * FROM c WHERE c.tenantId = '${t.id}' AND c.platformUserId = '${userId}'`)
      .fetchAll();
    const contact = contacts[0] as ContactDoc;
    const { resources } = await host.runtime.cosmos
      .container('conversations')
      .items.query<ConversationDoc>(`SELECT * FROM c WHERE c.tenantId = '${t.id}' AND c.contactId = '${contact.id}'`)
      .fetchAll();
    return { contact, conversation: resources[0] as ConversationDoc };
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

  async function login(sub: string, email?: string): Promise<string> {
    const res = await fetch(`${host.url}/local/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub, ...(email ? { email } : {}) }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  function inviteTokenFor(email: string, tenantId: string): string {
    const tokens = host.mail.outbox
      .filter((m) => m.to === email)
      .map((m) => /token=([^\s]+)/.exec(m.text ?? '')?.[1])
      .filter((t): t is string => t !== undefined)
      .map((t) => decodeURIComponent(t));
    const token = tokens.find((t) => t.startsWith(`${tenantId}.`));
    expect(token, `invitation mail to ${email} from ${tenantId}`).toBeDefined();
    return token as string;
  }

  async function seedResources(t: Tenant): Promise<Record<string, string>> {
    const first = await converse(t, 'How much is balayage?');
    const doc = await api(host, t.owner, 'POST', '/api/v1/knowledge/documents?fileName=private.txt', {
      raw: Buffer.from(`Private notes of ${t.id}`),
      headers: { 'content-type': 'text/plain' },
    });
    expect(doc.status).toBe(202);
    const entry = await api(host, t.owner, 'POST', '/api/v1/knowledge/entries', {
      body: { kind: 'faq', data: { question: `Only ${t.id}?`, answer: 'Yes.' } },
    });
    expect(entry.status).toBe(201);
    await host.runtime.cosmos
      .container('tenants')
      .item(t.id, t.id)
      .patch([
        {
          op: 'set',
          path: '/owner',
          value: { name: 'Owner', email: `owner-${t.id}@example.com`, preferredLanguage: 'en', timeZone: 'UTC' },
        },
      ]);
    const exported = await api(host, t.owner, 'POST', '/api/v1/account/exports');
    expect(exported.body?.exportId, JSON.stringify([exported.status, exported.body])).toBeDefined();
    const invitation = await api(host, t.owner, 'POST', '/api/v1/invitations', {
      body: { email: `invitee-${t.id}@example.com`, role: 'agent' },
    });
    expect(invitation.status).toBe(201);
    await converse(t, 'Do you do botox injections?');
    await host.broker.whenIdle();
    const gaps = await api(host, t.owner, 'GET', '/api/v1/insights/gaps');
    expect(gaps.body.items.length).toBeGreaterThan(0);
    return {
      conversationId: first.conversation.id,
      contactId: first.contact.id,
      entryId: entry.body.id,
      documentId: doc.body.id,
      channelId: `ch_instagram_${t.account}`,
      exportId: exported.body.exportId,
      invitationId: invitation.body.id,
      memberSub: `auth0|agent-${t.id}`,
      gapId: gaps.body.items[0].id,
    };
  }

  beforeAll(async () => {
    host = await startTestHost({ values: { BURST_WAIT_MS: '10' } });
    a = await makeTenant(host, { kb: true });
    b = await makeTenant(host, { kb: true });
    aIds = await seedResources(a);
    bIds = await seedResources(b);
  });
  afterAll(async () => host?.stop());

  describe("tenant B against tenant A's ids", () => {
    const bodies: Record<string, unknown> = {
      'v1-knowledge-entries-update': { version: 1, data: { question: 'Hijacked?', answer: 'By B.' } },
      'v1-conversations-reply': { text: 'hello from B' },
      'v1-contacts-rectify': { name: 'Changed by B' },
      'v1-conversations-assign': { assignee: null },
      'v1-insights-gaps-resolve': { answer: 'Answered by B' },
      'v1-members-set': { role: 'admin' },
    };
    // Staff routes are platform-wide by design.
    const idRoutes = API_ROUTES.filter((r) => r.path.includes('{') && !r.roles.includes('staff'));

    for (const role of ['owner', 'admin', 'agent'] as const) {
      it(`answers 404 to B's ${role} on every id route, leaks nothing and changes nothing in A`, async () => {
        const routes = idRoutes.filter((r) => r.roles.includes(role));
        expect(routes.length).toBeGreaterThan(role === 'agent' ? 5 : 15);
        const before = await snapshot(a.id);
        for (const route of routes) {
          const path = `/api/${route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
            expect(aIds[name], `an id of A for {${name}}`).toBeDefined();
            return encodeURIComponent(aIds[name] as string);
          })}`;
          const res = await api(
            host,
            b[role],
            route.method,
            path,
            bodies[route.name] ? { body: bodies[route.name] } : {},
          );
          expect(res.status, `${role} ${route.method} ${path}: ${JSON.stringify(res.body)}`).toBe(404);
          const text = JSON.stringify(res.body ?? '');
          expect(text, `${route.method} ${path} names tenant A`).not.toContain(a.id);
          expect(text, `${route.method} ${path} leaks A's notes`).not.toContain('Private notes');
        }
        expect(await snapshot(a.id)).toBe(before);
      });
    }

    it("answers 404 for A's ids in B's conversation id with a different case or a trailing character", async () => {
      const before = await snapshot(a.id);
      for (const id of [aIds.conversationId?.toUpperCase(), `${aIds.conversationId} `, `${aIds.conversationId}%00`]) {
        const path = `/api/v1/conversations/${encodeURIComponent(id as string)}`;
        const res = await fetch(`${host.url}${path}`, { headers: { authorization: `Bearer ${b.owner}` } });
        expect([400, 404], `${path} -> ${res.status}`).toContain(res.status);
        expect(await res.text()).not.toContain(a.id);
      }
      expect(await snapshot(a.id)).toBe(before);
    });

    it('still lets A reach every one of its own resources afterwards', async () => {
      expect((await api(host, a.owner, 'GET', `/api/v1/conversations/${aIds.conversationId}`)).status).toBe(200);
      expect((await api(host, a.owner, 'GET', `/api/v1/contacts/${aIds.contactId}`)).body.name).not.toBe(
        'Changed by B',
      );
      expect((await api(host, a.owner, 'GET', `/api/v1/knowledge/entries/${aIds.entryId}`)).status).toBe(200);
      const text = await api(host, a.owner, 'GET', `/api/v1/knowledge/documents/${aIds.documentId}/text`);
      expect(text.status).toBe(200);
      const invitations = await api(host, a.owner, 'GET', '/api/v1/invitations');
      expect(invitations.body.items.find((i: { id: string }) => i.id === aIds.invitationId)).toMatchObject({
        status: 'pending',
      });
      const gaps = await api(host, a.owner, 'GET', '/api/v1/insights/gaps');
      expect(gaps.body.items.map((g: { id: string }) => g.id)).toContain(aIds.gapId);
      expect(
        (await api(host, a.owner, 'GET', '/api/v1/channels')).body.items.map((c: { id: string }) => c.id),
      ).toContain(aIds.channelId);
    });
  });

  describe('tenantId or id smuggled in a body', () => {
    it("refuses tenantId or id in B's writes to its own resources and changes nothing in A", async () => {
      const before = await snapshot(a.id);
      const cases: Array<[string, string, unknown]> = [
        ['PATCH', `/api/v1/contacts/${bIds.contactId}`, { name: 'Moved', tenantId: a.id }],
        ['PATCH', `/api/v1/contacts/${bIds.contactId}`, { name: 'Moved', id: aIds.contactId }],
        [
          'PUT',
          `/api/v1/knowledge/entries/${bIds.entryId}`,
          { version: 1, data: { question: 'Q?', answer: 'A.' }, tenantId: a.id },
        ],
        [
          'PUT',
          `/api/v1/knowledge/entries/${bIds.entryId}`,
          { version: 1, data: { question: 'Q?', answer: 'A.', id: aIds.entryId, tenantId: a.id } },
        ],
        ['PATCH', '/api/v1/account', { company: { name: 'Moved', tenantId: a.id } }],
        ['PATCH', '/api/v1/account', { owner: { name: 'Moved' }, id: a.id }],
        ['PUT', `/api/v1/conversations/${bIds.conversationId}/assignee`, { assignee: null, tenantId: a.id }],
        ['POST', `/api/v1/insights/gaps/${bIds.gapId}/resolve`, { answer: 'Moved', tenantId: a.id }],
        [
          'POST',
          `/api/v1/conversations/${bIds.conversationId}/messages`,
          { text: 'x', conversationId: aIds.conversationId },
        ],
      ];
      for (const [method, path, body] of cases) {
        const res = await api(host, b.owner, method, path, { body });
        expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      }
      for (const path of ['/api/v1/settings/bot', '/api/v1/insights/settings', '/api/v1/knowledge/profile']) {
        const current = await api(host, b.owner, 'GET', path);
        expect(current.status, path).toBe(200);
        // The profile is read as a knowledge entry and written as its data.
        const read = path.endsWith('/profile') ? current.body.data : current.body;
        expect((await api(host, b.owner, 'PUT', path, { body: read })).status, `PUT ${path} as read`).toBe(200);
        const res = await api(host, b.owner, 'PUT', path, { body: { ...read, tenantId: a.id } });
        expect(res.status, `PUT ${path} with tenantId: ${JSON.stringify(res.body)}`).toBe(400);
      }
      expect(await snapshot(a.id)).toBe(before);
      const contact = await api(host, b.owner, 'GET', `/api/v1/contacts/${bIds.contactId}`);
      expect(contact.status).toBe(200);
      expect(contact.body.name).not.toBe('Moved');
      expect(contact.body.id).toBe(bIds.contactId);
      const entry = await api(host, b.owner, 'GET', `/api/v1/knowledge/entries/${bIds.entryId}`);
      expect(entry.status).toBe(200);
      expect(entry.body.data.question).toBe(`Only ${b.id}?`);
    });

    it('ignores a tenantId in the query string of a list', async () => {
      for (const path of ['/api/v1/conversations', '/api/v1/contacts', '/api/v1/knowledge/entries']) {
        const res = await fetch(`${host.url}${path}?tenantId=${a.id}`, {
          headers: { authorization: `Bearer ${b.owner}` },
        });
        expect([200, 400], `${path} -> ${res.status}`).toContain(res.status);
        const text = await res.text();
        expect(text, path).not.toContain(a.id);
        for (const id of Object.values(aIds)) expect(text, path).not.toContain(id);
      }
    });
  });

  describe('shared keys and search', () => {
    it("never replays A's idempotent answer to B, even for A's exact request and key", async () => {
      const key = `attack-${Date.now()}`;
      const path = `/api/v1/conversations/${aIds.conversationId}/messages`;
      const body = { text: 'Idempotent reply from A' };
      const first = await api(host, a.owner, 'POST', path, { body, headers: { 'idempotency-key': key } });
      expect(first.status).toBe(202);
      await host.broker.whenIdle();
      const before = await snapshot(a.id);
      const replay = await api(host, b.owner, 'POST', path, { body, headers: { 'idempotency-key': key } });
      expect(replay.status, JSON.stringify(replay.body)).toBe(404);
      expect(JSON.stringify(replay.body)).not.toContain(first.body.items[0].id);
      const resolve = await api(host, b.owner, 'POST', `/api/v1/conversations/${aIds.conversationId}/resolve`, {
        headers: { 'idempotency-key': key },
      });
      expect(resolve.status).toBe(404);
      const own = await api(host, b.owner, 'POST', `/api/v1/conversations/${bIds.conversationId}/messages`, {
        body,
        headers: { 'idempotency-key': key },
      });
      expect(own.status).toBe(202);
      expect(own.body.items[0].id).not.toBe(first.body.items[0].id);
      await host.broker.whenIdle();
      expect(await snapshot(a.id)).toBe(before);
    });

    it("finds none of A's messages in B's message search", async () => {
      const word = `zebracorn${Date.now().toString(36)}`;
      await converse(a, `Do you have a ${word} treatment?`);
      const mine = await api(host, a.owner, 'GET', `/api/v1/messages?q=${word}`);
      expect(mine.status).toBe(200);
      expect(JSON.stringify(mine.body)).toContain(word);
      for (const token of [b.owner, b.admin, b.agent]) {
        const res = await api(host, token, 'GET', `/api/v1/messages?q=${word}`);
        expect(res.status).toBe(200);
        expect(JSON.stringify(res.body)).not.toContain(word);
        expect(JSON.stringify(res.body)).not.toContain(aIds.conversationId);
      }
    });
  });

  describe('invitation tokens across tenants', () => {
    it("refuses A's invitation to B's members, and tokens spliced from two tenants' links", async () => {
      const email = `both-${Date.now()}@people.example`;
      expect((await api(host, a.owner, 'POST', '/api/v1/invitations', { body: { email, role: 'admin' } })).status).toBe(
        201,
      );
      expect((await api(host, b.owner, 'POST', '/api/v1/invitations', { body: { email, role: 'agent' } })).status).toBe(
        201,
      );
      await host.broker.whenIdle();
      const aToken = inviteTokenFor(email, a.id);
      const bToken = inviteTokenFor(email, b.id);
      const [, aInv, aSecret] = aToken.split('.') as [string, string, string];
      const [, bInv, bSecret] = bToken.split('.') as [string, string, string];

      // B's owner, signed in with another address, cannot take A's invitation.
      expect((await api(host, b.owner, 'POST', '/api/v1/invitations/accept', { body: { token: aToken } })).status).toBe(
        403,
      );

      // Spliced tokens: a tenant prefix, invitation id and secret that do not belong together.
      const fresh = await login(`auth0|splice-${Date.now()}`, email);
      for (const token of [
        `${b.id}.${aInv}.${aSecret}`,
        `${a.id}.${bInv}.${bSecret}`,
        `${a.id}.${aInv}.${bSecret}`,
        `${b.id}.${bInv}.${aSecret}`,
      ]) {
        const res = await api(host, fresh, 'POST', '/api/v1/invitations/accept', { body: { token } });
        expect(res.status, token).toBe(404);
      }

      // The invited person joins B, then A's link cannot add them to A as well.
      const sub = `auth0|both-${Date.now()}`;
      const person = await login(sub, email);
      const joined = await api(host, person, 'POST', '/api/v1/invitations/accept', { body: { token: bToken } });
      expect(joined.status).toBe(200);
      expect(joined.body).toEqual({ tenantId: b.id, role: 'agent' });
      const member = await login(sub, email);
      const refused = await api(host, member, 'POST', '/api/v1/invitations/accept', { body: { token: aToken } });
      expect(refused.status).toBe(409);
      const aMembers = await api(host, a.owner, 'GET', '/api/v1/members');
      expect(aMembers.body.items.map((m: { sub: string }) => m.sub)).not.toContain(sub);
      const aInvites = await api(host, a.owner, 'GET', '/api/v1/invitations');
      expect(aInvites.body.items.find((i: { email: string }) => i.email === email)).toMatchObject({
        status: 'pending',
      });

      // And the rightful, not-yet-member person can still use A's untouched link.
      const other = await login(`auth0|rightful-${Date.now()}`, email);
      const ok = await api(host, other, 'POST', '/api/v1/invitations/accept', { body: { token: aToken } });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ tenantId: a.id, role: 'admin' });
    });
  });

  describe('CORS preflight from a foreign origin', () => {
    it('refuses origins outside DASHBOARD_ORIGINS, including look-alikes, on id routes', async () => {
      const path = `/api/v1/conversations/${aIds.conversationId}/messages`;
      const ask = (origin: string) =>
        fetch(`${host.url}${path}`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization, content-type',
          },
        });
      const good = await ask('http://localhost:5173');
      expect(good.status).toBe(204);
      expect(good.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      for (const origin of [
        'https://evil.example',
        'http://localhost:5173.evil.example',
        'https://localhost:5173',
        'http://localhost:51730',
        'null',
        'http://evil.example/http://localhost:5173',
      ]) {
        const res = await ask(origin);
        expect(res.status, origin).toBe(403);
        expect(res.headers.get('access-control-allow-origin'), origin).toBeNull();
      }
      const read = await fetch(`${host.url}/api/v1/conversations/${aIds.conversationId}`, {
        headers: { origin: 'https://evil.example', authorization: `Bearer ${a.owner}` },
      });
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
