import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../../local/demo.js';
import type { LocalHost } from '../../local/host.js';
import type { InvitationDoc } from '../../shared/accounts/invitations.js';
import { ROLE_CLAIM, TENANT_CLAIM } from '../../shared/platform/principal.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';

/** Logs a person in through the local issuer exactly as the dashboard would through Auth0. */
async function login(host: LocalHost, sub: string, email?: string): Promise<string> {
  const res = await fetch(`${host.url}/local/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub, ...(email ? { email } : {}) }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const signUp = {
  owner: { name: 'Ioana Pop', email: 'ioana@studio.example', preferredLanguage: 'ro', timeZone: 'Europe/Bucharest' },
  company: { name: 'Studio Ioana', country: 'RO', businessType: 'salon' },
};

describe('onboarding from first login to a team', () => {
  let host: LocalHost;

  beforeAll(async () => {
    host = await startTestHost({ onReady: seedDemo });
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('gives no claims before sign-up and tenant plus owner after it, through the Auth0 Action', async () => {
    const sub = `auth0|new-${Date.now()}`;
    const first = await login(host, sub, 'ioana@studio.example');
    expect(decodeJwt(first)[TENANT_CLAIM]).toBeUndefined();
    expect(decodeJwt(first)[ROLE_CLAIM]).toBeUndefined();
    // A 401 of its own type: the dashboard shows sign-up instead of signing in again.
    const before = await api(host, first, 'GET', '/api/v1/account');
    expect(before.status).toBe(401);
    expect(before.body.type).toBe('https://aliat.app/problems/no-account');
    const garbage = await api(host, 'not-a-token', 'GET', '/api/v1/account');
    expect(garbage.body.type).toBe('https://aliat.app/problems/unauthorized');
    const created = await api(host, first, 'POST', '/api/v1/account', { body: signUp });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/v1/account');
    const next = await login(host, sub, 'ioana@studio.example');
    expect(decodeJwt(next)).toMatchObject({
      [TENANT_CLAIM]: created.body.tenantId,
      [ROLE_CLAIM]: 'owner',
      email: 'ioana@studio.example',
    });
    expect((await api(host, next, 'GET', '/api/v1/account')).body.company.name).toBe('Studio Ioana');
    const members = await api(host, next, 'GET', '/api/v1/members');
    expect(members.body.items).toEqual([{ sub, email: 'ioana@studio.example', role: 'owner' }]);
  });

  it('answers the Action only with the shared secret', async () => {
    const post = (authorization?: string) =>
      fetch(`${host.url}/api/auth/claims`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ sub: DEMO.ownerUserId }),
      });
    const none = await post();
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await post('Bearer not-the-secret-at-all')).status).toBe(401);
    const ok = await post(`Bearer ${host.runtime.settings.AUTH_ACTION_SECRET}`);
    expect(await ok.json()).toEqual({ tenantId: DEMO.tenantId, role: 'owner' });
    const bad = await fetch(`${host.url}/api/auth/claims`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${host.runtime.settings.AUTH_ACTION_SECRET}`,
      },
      body: JSON.stringify({ sub: '' }),
    });
    expect(bad.status).toBe(400);
  });

  it('completes the demo tenant: the account answers and the members list the owner', async () => {
    const token = await login(host, DEMO.ownerUserId, DEMO.ownerEmail);
    expect((await api(host, token, 'GET', '/api/v1/account')).status).toBe(200);
    expect((await api(host, token, 'GET', '/api/v1/members')).body.items).toContainEqual({
      sub: DEMO.ownerUserId,
      email: DEMO.ownerEmail,
      role: 'owner',
    });
    const demo = (await (await fetch(`${host.url}/local/demo`)).json()) as { ownerToken: string };
    expect((await api(host, demo.ownerToken, 'GET', '/api/v1/account')).body.tenantId).toBe(DEMO.tenantId);
  });

  describe('invitations', () => {
    let owner: string;
    let tenantId: string;

    beforeAll(async () => {
      const sub = `auth0|inviter-${Date.now()}`;
      const created = await api(host, await login(host, sub, 'boss@team.example'), 'POST', '/api/v1/account', {
        body: { ...signUp, owner: { ...signUp.owner, email: 'boss@team.example' } },
      });
      tenantId = created.body.tenantId;
      owner = await login(host, sub, 'boss@team.example');
    });

    function linkTokenFor(email: string): string {
      const mail = host.mail.outbox.filter((m) => m.to === email).at(-1);
      expect(mail?.subject).toMatch(/invit/i);
      const token = /token=([^\s]+)/.exec(mail?.text ?? '')?.[1];
      expect(token).toBeDefined();
      return decodeURIComponent(token as string);
    }

    /** A person invited by the owner who accepts and signs in again: their sub and fresh token. */
    async function join(name: string, role: 'admin' | 'agent'): Promise<{ sub: string; token: string }> {
      const email = `${name}@team.example`;
      const invited = await api(host, owner, 'POST', '/api/v1/invitations', { body: { email, role } });
      expect(invited.status).toBe(201);
      await host.broker.whenIdle();
      const sub = `auth0|${name}-${Date.now()}`;
      const accepted = await api(host, await login(host, sub, email), 'POST', '/api/v1/invitations/accept', {
        body: { token: linkTokenFor(email) },
      });
      expect(accepted.body).toEqual({ tenantId, role });
      return { sub, token: await login(host, sub, email) };
    }

    it('invites by e-mail with an expiring link that only the invited, signed-in person can accept', async () => {
      const invited = await api(host, owner, 'POST', '/api/v1/invitations', {
        body: { email: 'Maria@Team.example', role: 'agent' },
      });
      expect(invited.status).toBe(201);
      expect(invited.headers.get('location')).toBe(`/api/v1/invitations/${invited.body.id}`);
      expect(invited.body).toMatchObject({ email: 'maria@team.example', role: 'agent', status: 'pending' });
      // The Location answers with the invitation (frontend review: it answered 405).
      expect((await api(host, owner, 'GET', invited.headers.get('location') ?? '')).body).toEqual(invited.body);
      expect(Date.parse(invited.body.expiresAt) - Date.parse(invited.body.createdAt)).toBe(7 * 86_400_000);
      await host.broker.whenIdle();
      const token = linkTokenFor('maria@team.example');

      const stranger = await login(host, `auth0|stranger-${Date.now()}`, 'someone@else.example');
      expect((await api(host, stranger, 'POST', '/api/v1/invitations/accept', { body: { token } })).status).toBe(403);
      expect(
        (
          await api(host, stranger, 'POST', '/api/v1/invitations/accept', {
            body: { token: `${token.slice(0, -4)}AAAA` },
          })
        ).status,
      ).toBe(404);

      const mariaSub = `auth0|maria-${Date.now()}`;
      const before = await login(host, mariaSub, 'maria@team.example');
      expect(decodeJwt(before)[TENANT_CLAIM]).toBeUndefined();
      const accepted = await api(host, before, 'POST', '/api/v1/invitations/accept', { body: { token } });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toEqual({ tenantId, role: 'agent' });
      // A second click on the same link by the same person changes nothing.
      expect((await api(host, before, 'POST', '/api/v1/invitations/accept', { body: { token } })).status).toBe(200);
      const after = await login(host, mariaSub, 'maria@team.example');
      expect(decodeJwt(after)).toMatchObject({ [TENANT_CLAIM]: tenantId, [ROLE_CLAIM]: 'agent' });
      expect((await api(host, after, 'GET', '/api/v1/conversations')).status).toBe(200);
      expect((await api(host, after, 'GET', '/api/v1/invitations')).status).toBe(403);

      const members = await api(host, owner, 'GET', '/api/v1/members');
      expect(members.body.items).toContainEqual({ sub: mariaSub, email: 'maria@team.example', role: 'agent' });
      const listed = await api(host, owner, 'GET', '/api/v1/invitations');
      expect(listed.body.items.find((i: { id: string }) => i.id === invited.body.id)).toMatchObject({
        status: 'accepted',
      });
      const revokeAccepted = await api(host, owner, 'DELETE', `/api/v1/invitations/${invited.body.id}`);
      expect(revokeAccepted.status).toBe(409);
      expect(revokeAccepted.body.detail).toContain('DELETE /api/v1/members/{memberSub}');
      expect(
        (
          await api(host, owner, 'POST', '/api/v1/invitations', {
            body: { email: 'maria@team.example', role: 'agent' },
          })
        ).status,
      ).toBe(409);
    });

    it('lets owners and admins list and revoke; a revoked or expired link no longer works', async () => {
      const revokedInvite = await api(host, owner, 'POST', '/api/v1/invitations', {
        body: { email: 'late@team.example', role: 'admin' },
      });
      await host.broker.whenIdle();
      const token = linkTokenFor('late@team.example');
      expect(
        (await api(host, owner, 'GET', '/api/v1/invitations?status=pending')).body.items.map(
          (i: { email: string }) => i.email,
        ),
      ).toContain('late@team.example');
      expect((await api(host, owner, 'DELETE', `/api/v1/invitations/${revokedInvite.body.id}`)).status).toBe(204);
      const late = await login(host, `auth0|late-${Date.now()}`, 'late@team.example');
      const refused = await api(host, late, 'POST', '/api/v1/invitations/accept', { body: { token } });
      expect(refused.status).toBe(410);
      expect(refused.body.type).toBe('https://aliat.app/problems/invitation-unusable');
      expect(refused.body.detail).toMatch(/revoked/);

      const expiring = await api(host, owner, 'POST', '/api/v1/invitations', {
        body: { email: 'slow@team.example', role: 'agent' },
      });
      await host.broker.whenIdle();
      const slowToken = linkTokenFor('slow@team.example');
      const container = host.runtime.cosmos.container('tenants');
      const { resource } = await container.item(expiring.body.id, tenantId).read<InvitationDoc>();
      await container
        .item(expiring.body.id, tenantId)
        .replace({ ...(resource as InvitationDoc), expiresAt: new Date(Date.now() - 1000).toISOString() });
      const slow = await login(host, `auth0|slow-${Date.now()}`, 'slow@team.example');
      const expired = await api(host, slow, 'POST', '/api/v1/invitations/accept', { body: { token: slowToken } });
      expect(expired.status).toBe(410);
      expect(expired.body.detail).toMatch(/expired/);
      expect(
        (await api(host, owner, 'GET', '/api/v1/invitations?status=expired')).body.items.map(
          (i: { id: string }) => i.id,
        ),
      ).toEqual([expiring.body.id]);
    });

    it('adds nobody by PUT, changes and removes members with effect on their very next call', async () => {
      // Outside audit S2: a person who never accepted an invitation cannot be enrolled.
      const daveSub = `auth0|dave-${Date.now()}`;
      const enrol = await api(host, owner, 'PUT', `/api/v1/members/${encodeURIComponent(daveSub)}`, {
        body: { role: 'admin' },
      });
      expect(enrol.status).toBe(404);
      expect(enrol.headers.get('content-type')).toBe('application/problem+json');
      expect(decodeJwt(await login(host, daveSub, 'dave@victim.example'))[TENANT_CLAIM]).toBeUndefined();

      const { sub, token } = await join('frank', 'agent');
      const path = `/api/v1/members/${encodeURIComponent(sub)}`;
      expect((await api(host, token, 'GET', '/api/v1/members')).status).toBe(403);
      expect((await api(host, owner, 'PUT', path, { body: { role: 'admin' } })).body).toMatchObject({ role: 'admin' });
      // The token still says agent; the membership says admin, and wins at once.
      expect(decodeJwt(token)[ROLE_CLAIM]).toBe('agent');
      expect((await api(host, token, 'GET', '/api/v1/members')).status).toBe(200);

      // Outside audit M2: the owner removes a member, whose token stops working at once.
      const ownerSub = (await api(host, owner, 'GET', '/api/v1/members')).body.items.find(
        (m: { role: string }) => m.role === 'owner',
      ).sub as string;
      const self = await api(host, owner, 'DELETE', `/api/v1/members/${encodeURIComponent(ownerSub)}`);
      expect(self.status).toBe(409);
      expect(self.body.detail).toMatch(/owner cannot be removed/);
      expect((await api(host, token, 'DELETE', path)).status).toBe(403);
      expect((await api(host, owner, 'DELETE', path)).status).toBe(204);
      const after = await api(host, token, 'GET', '/api/v1/conversations');
      expect(after.status).toBe(401);
      expect(after.body.type).toBe('https://aliat.app/problems/no-account');
      expect(decodeJwt(await login(host, sub, 'frank@team.example'))[TENANT_CLAIM]).toBeUndefined();
      expect((await api(host, owner, 'DELETE', path)).status).toBe(404);
      expect((await api(host, owner, 'PUT', path, { body: { role: 'agent' } })).status).toBe(404);
      const members = (await api(host, owner, 'GET', '/api/v1/members')).body.items.map((m: { sub: string }) => m.sub);
      expect(members).not.toContain(sub);
      const audit = (await api(host, owner, 'GET', '/api/v1/audit')).body.items.map(
        (e: { action: string }) => e.action,
      );
      expect(audit).toEqual(expect.arrayContaining(['member.role_change', 'member.remove']));
    });

    it('lets admins invite agents only', async () => {
      const { token: admin } = await join('admin', 'admin');
      expect(
        (await api(host, admin, 'POST', '/api/v1/invitations', { body: { email: 'a@team.example', role: 'admin' } }))
          .status,
      ).toBe(403);
      expect(
        (await api(host, admin, 'POST', '/api/v1/invitations', { body: { email: 'b@team.example', role: 'agent' } }))
          .status,
      ).toBe(201);
    });
  });

  it('keeps the issuer key in the local data folder, so tokens survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aliat-auth-'));
    try {
      const keyFile = join(dir, 'auth-signing-key.json');
      const first = await startTestHost({ authKeyFile: keyFile });
      const jwks1 = await (await fetch(`${first.url}/local/auth/.well-known/jwks.json`)).json();
      await first.stop();
      const second = await startTestHost({ authKeyFile: keyFile });
      const jwks2 = await (await fetch(`${second.url}/local/auth/.well-known/jwks.json`)).json();
      await second.stop();
      expect(jwks2).toEqual(jwks1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
