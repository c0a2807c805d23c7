import { beforeEach, describe, expect, it } from 'vitest';
import { acceptInvitation } from '../../shared/accounts/accept-invitation.js';
import {
  closeAccount,
  readAccount,
  reopenAccount,
  requestAccountDeletion,
  signUp,
  updateAccount,
} from '../../shared/accounts/account-lifecycle.js';
import { companySchema, type MemberDoc, memberId } from '../../shared/accounts/account-schemas.js';
import type { AccountsDeps } from '../../shared/accounts/accounts-deps.js';
import { defaultBotSettings } from '../../shared/accounts/bot-settings.js';
import { readBotSettings, replaceBotSettings } from '../../shared/accounts/configure-bot.js';
import { inviteMember, listInvitations, revokeInvitation } from '../../shared/accounts/invite-members.js';
import { listMembers, removeMember, setMemberRole } from '../../shared/accounts/members.js';
import { claimsOf } from '../../shared/accounts/membership-claims.js';
import { memoryTenantRepository } from '../../shared/accounts/tenant-repository.js';
import type { AuditEntry } from '../../shared/audit/index.js';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
} from '../../shared/platform/domain-errors.js';
import { fieldProblems } from '../../shared/platform/problem.js';

const owner = { name: 'Ana Pop', email: 'ana@salon.example', preferredLanguage: 'ro' as const, timeZone: 'UTC' };
const company = { name: 'Salon Aurora', country: 'RO', businessType: 'salon' as const };

function world() {
  let now = new Date('2026-03-01T10:00:00Z');
  const audits: AuditEntry[] = [];
  const emails: Array<{ template: string; to: string; data: Record<string, unknown> }> = [];
  const erasures: unknown[] = [];
  const deps: AccountsDeps = {
    tenants: memoryTenantRepository(defaultBotSettings()),
    audit: async (entry) => {
      audits.push(entry);
    },
    clock: { now: () => new Date(now) },
    sendEmail: async (job) => {
      emails.push(job as (typeof emails)[number]);
    },
    requestErasure: async (job) => {
      erasures.push(job);
    },
    botDefaults: defaultBotSettings(),
    dashboardUrl: 'https://app.example',
  };
  return {
    deps,
    audits,
    emails,
    erasures,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

/** A membership as stored, written directly (as an accepted invitation would write it). */
const memberDoc = (tenantId: string, sub: string, role: MemberDoc['role'], email?: string): MemberDoc => ({
  id: memberId(sub),
  tenantId,
  type: 'member',
  sub,
  ...(email ? { email } : {}),
  role,
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
});

const person = (sub: string, extra: { tenantId?: string; email?: string } = {}) => ({
  sub,
  role: 'owner' as const,
  ...extra,
});

describe('accounts use-cases on memory repositories', () => {
  let w: ReturnType<typeof world>;
  let tenantId: string;
  beforeEach(async () => {
    w = world();
    tenantId = (await signUp(w.deps, person('auth0|ana', { email: owner.email }), { owner, company }, '203.0.113.9'))
      .tenantId;
  });

  it('signs a person up as owner once, audits it and sends the welcome mail', async () => {
    expect(await readAccount(w.deps, tenantId)).toMatchObject({ status: 'active', owner, company });
    expect(await listMembers(w.deps, tenantId)).toEqual([{ sub: 'auth0|ana', email: owner.email, role: 'owner' }]);
    expect(w.audits.map((a) => a.action)).toEqual(['account.create']);
    expect(w.emails).toMatchObject([{ template: 'welcome', to: owner.email }]);
    expect((await w.deps.tenants.get(tenantId))?.bot.languages).toEqual(['ro', 'en']);
    await expect(signUp(w.deps, person('auth0|ana'), { owner, company })).rejects.toThrow(ConflictError);
    await expect(signUp(w.deps, person('auth0|x', { tenantId }), { owner, company })).rejects.toThrow(
      'This person already has an account.',
    );
    expect(await claimsOf(w.deps.tenants, 'auth0|ana')).toEqual({ tenantId, role: 'owner' });
  });

  it('offers a business type for the kinds of business that sign up, and names them when one does not fit', () => {
    for (const businessType of ['bakery-cafe', 'pet-care', 'education', 'automotive', 'other'])
      expect(companySchema.safeParse({ ...company, businessType }).success, businessType).toBe(true);
    // A country typed in lower case is read as the code it is (outside audit AK).
    expect(companySchema.parse({ ...company, country: 'ro' }).country).toBe('RO');
    expect(companySchema.safeParse({ ...company, country: 'Romania' }).success).toBe(false);
    const wrong = companySchema.safeParse({ ...company, businessType: 'bakery' });
    expect(wrong.success ? [] : fieldProblems(wrong.error).map((p) => p.message)).toEqual([
      expect.stringMatching(/^must be one of: salon, clinic, restaurant, shop, bakery-cafe, .*, other$/),
    ]);
  });

  it('signs up only with the address the person signed in with, in any case', async () => {
    const eve = person('auth0|eve', { email: 'eve@evil.example' });
    const refused = await signUp(w.deps, eve, { owner: { ...owner, email: 'ceo@bigcorp.example' }, company }).catch(
      (e) => e,
    );
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect(refused.errors).toEqual([{ field: 'owner.email', message: 'must be the address you signed in with' }]);
    expect(w.emails.map((m) => m.to)).not.toContain('ceo@bigcorp.example');
    expect(await claimsOf(w.deps.tenants, 'auth0|eve')).toEqual({});
    const created = await signUp(w.deps, eve, { owner: { ...owner, email: 'Eve@Evil.example' }, company });
    expect(created.owner.email).toBe('Eve@Evil.example');
    // A sign-in that proves no address gets its account, but Aliat mails nobody a company name it chose (review M2).
    const sent = w.emails.length;
    await signUp(w.deps, person('auth0|mallory'), { owner: { ...owner, email: 'ceo@bigcorp.example' }, company });
    expect(w.emails.length).toBe(sent);
  });

  it("lets an admin change the company but never the owner's details", async () => {
    const admin = { sub: 'auth0|adm', role: 'admin' as const };
    await expect(
      updateAccount(w.deps, tenantId, admin, { owner: { email: 'admin-private@evil.example' } }),
    ).rejects.toThrow(ForbiddenError);
    await expect(updateAccount(w.deps, tenantId, admin, { owner: {}, company: { name: 'X' } })).rejects.toThrow(
      ForbiddenError,
    );
    expect((await readAccount(w.deps, tenantId)).owner.email).toBe(owner.email);
    expect((await updateAccount(w.deps, tenantId, admin, { company: { name: 'Aurora 3' } })).company.name).toBe(
      'Aurora 3',
    );
    // The owner e-mail moves only to an address the sign-in proves, as at sign-up: exports and notices go there.
    for (const signedIn of [person('auth0|ana'), person('auth0|ana', { email: 'ana@salon.example' })]) {
      const refused = await updateAccount(w.deps, tenantId, signedIn, { owner: { email: 'thief@evil.example' } }).catch(
        (e) => e,
      );
      expect(refused).toBeInstanceOf(InvalidInputError);
      expect(refused.errors).toEqual([{ field: 'owner.email', message: 'must be the address you signed in with' }]);
    }
    expect((await readAccount(w.deps, tenantId)).owner.email).toBe(owner.email);
    const same = await updateAccount(w.deps, tenantId, person('auth0|ana'), { owner: { email: 'ANA@salon.example' } });
    expect(same.owner.email).toBe('ANA@salon.example');
    const mine = await updateAccount(w.deps, tenantId, person('auth0|ana', { email: 'ana@new.example' }), {
      owner: { email: 'ana@new.example', name: 'Ana P.' },
    });
    expect(mine.owner).toMatchObject({ email: 'ana@new.example', name: 'Ana P.' });
  });

  it('reads, updates, closes and reopens an account, and refuses what the state forbids', async () => {
    await expect(readAccount(w.deps, 'tn_missing')).rejects.toThrow(new NotFoundError('account'));
    const updated = await updateAccount(w.deps, tenantId, person('auth0|ana'), { company: { name: 'Aurora 2' } });
    expect(updated.company.name).toBe('Aurora 2');
    expect((await w.deps.tenants.get(tenantId))?.companyName).toBe('Aurora 2');
    expect(w.audits.at(-1)).toMatchObject({ action: 'account.update', details: { fields: ['company.name'] } });
    await expect(reopenAccount(w.deps, tenantId, person('auth0|ana'))).rejects.toThrow(
      'The account is active, not closed.',
    );
    expect((await closeAccount(w.deps, tenantId, person('auth0|ana'))).status).toBe('closed');
    await expect(closeAccount(w.deps, tenantId, person('auth0|ana'))).rejects.toThrow('The account is closed.');
    expect((await reopenAccount(w.deps, tenantId, person('auth0|ana'))).closedAt).toBeUndefined();
    await closeAccount(w.deps, tenantId, person('auth0|ana'));
    w.advance(400 * 86_400_000);
    await expect(reopenAccount(w.deps, tenantId, person('auth0|ana'))).rejects.toThrow(
      'The 12 months to reopen this account have passed.',
    );
  });

  it('schedules deletion only with the exact confirmation, once', async () => {
    const wrong = await requestAccountDeletion(w.deps, tenantId, person('auth0|ana'), 'DELETE it').catch((e) => e);
    expect(wrong).toBeInstanceOf(InvalidInputError);
    expect(wrong.errors).toEqual([{ field: 'confirm', message: 'must equal "DELETE Salon Aurora"' }]);
    const done = await requestAccountDeletion(w.deps, tenantId, person('auth0|ana'), 'DELETE Salon Aurora');
    expect(Date.parse(done.completeBy) - Date.parse(done.deletionRequestedAt)).toBe(30 * 86_400_000);
    expect(w.erasures).toEqual([{ kind: 'account-deletion', tenantId, requestedAt: done.deletionRequestedAt }]);
    expect((await w.deps.tenants.get(tenantId))?.status).toBe('deleting');
    await expect(requestAccountDeletion(w.deps, tenantId, person('auth0|ana'), 'DELETE Salon Aurora')).rejects.toThrow(
      'Deletion is already under way.',
    );
    // A business being deleted gives its members no claims any more.
    expect(await claimsOf(w.deps.tenants, 'auth0|ana')).toEqual({});
  });

  it('changes the role of members only, never the owner’s, and adds nobody', async () => {
    await expect(
      setMemberRole(w.deps, tenantId, person('auth0|ana'), { sub: 'auth0|ana', role: 'admin' }),
    ).rejects.toThrow('The owner keeps the owner role.');
    // Outside audit S2: a person who never accepted an invitation is not found, and stays out.
    await expect(
      setMemberRole(w.deps, tenantId, person('auth0|ana'), { sub: 'auth0|dave', role: 'admin' }),
    ).rejects.toThrow(new NotFoundError('member'));
    expect(await w.deps.tenants.getMember(tenantId, 'auth0|dave')).toBeUndefined();
    expect(await claimsOf(w.deps.tenants, 'auth0|dave')).toEqual({});
    await w.deps.tenants.addMember(memberDoc(tenantId, 'auth0|bob', 'agent', 'bob@salon.example'));
    expect(await setMemberRole(w.deps, tenantId, person('auth0|ana'), { sub: 'auth0|bob', role: 'admin' })).toEqual({
      sub: 'auth0|bob',
      email: 'bob@salon.example',
      role: 'admin',
    });
    expect(w.audits.at(-1)).toMatchObject({ action: 'member.role_change', details: { from: 'agent', to: 'admin' } });
  });

  it('revokes the invitations still pending for a removed member, so no second link lets them back (outside review M1)', async () => {
    await w.deps.tenants.addMember(memberDoc(tenantId, 'auth0|dan', 'admin', 'dan@salon.example'));
    const other = await inviteMember(w.deps, tenantId, person('auth0|ana'), {
      email: 'other@salon.example',
      role: 'agent',
      language: 'en',
    });
    // A second link to the same address, still pending after they joined by the first.
    await w.deps.tenants.createInvitation({
      ...(await w.deps.tenants.getInvitation(tenantId, other.id))!,
      id: 'inv_again',
      email: 'dan@salon.example',
    });
    await removeMember(w.deps, tenantId, person('auth0|ana'), 'auth0|dan');
    expect((await w.deps.tenants.getInvitation(tenantId, 'inv_again'))?.status).toBe('revoked');
    expect((await w.deps.tenants.getInvitation(tenantId, other.id))?.status).toBe('pending');
    expect(w.audits.at(-1)).toMatchObject({ action: 'member.remove', details: { invitationsRevoked: 1 } });
  });

  it('removes a member, audited, but never the owner and nobody who is not a member', async () => {
    await w.deps.tenants.addMember(memberDoc(tenantId, 'auth0|bob', 'admin'));
    await expect(removeMember(w.deps, tenantId, person('auth0|ana'), 'auth0|ana')).rejects.toThrow(ConflictError);
    await expect(removeMember(w.deps, tenantId, person('auth0|ana'), 'auth0|nobody')).rejects.toThrow(
      new NotFoundError('member'),
    );
    await removeMember(w.deps, tenantId, person('auth0|ana'), 'auth0|bob', '203.0.113.9');
    expect((await listMembers(w.deps, tenantId)).map((m) => m.sub)).toEqual(['auth0|ana']);
    expect(await claimsOf(w.deps.tenants, 'auth0|bob')).toEqual({});
    expect(w.audits.at(-1)).toMatchObject({
      action: 'member.remove',
      target: { type: 'member', id: memberId('auth0|bob') },
      details: { role: 'admin' },
    });
    await expect(removeMember(w.deps, tenantId, person('auth0|ana'), 'auth0|bob')).rejects.toThrow(NotFoundError);
    // Another owner's membership (say, written by hand) is refused like the caller's own.
    await w.deps.tenants.addMember(memberDoc(tenantId, 'auth0|co', 'owner'));
    await expect(removeMember(w.deps, tenantId, person('auth0|ana'), 'auth0|co')).rejects.toThrow(ConflictError);
  });

  it('invites, accepts once, and refuses the wrong person, a revoked link and an admin inviting an admin', async () => {
    await expect(
      inviteMember(
        w.deps,
        tenantId,
        { sub: 'auth0|adm', role: 'admin' },
        {
          email: 'x@y.example',
          role: 'admin',
          language: 'en',
        },
      ),
    ).rejects.toThrow(ForbiddenError);
    await expect(
      inviteMember(w.deps, tenantId, person('auth0|ana'), {
        email: 'ANA@salon.example',
        role: 'agent',
        language: 'en',
      }),
    ).rejects.toThrow('This person is already a member.');
    const invitation = await inviteMember(w.deps, tenantId, person('auth0|ana'), {
      email: 'Maria@Salon.example',
      role: 'agent',
      language: 'ro',
    });
    expect(invitation).toMatchObject({ email: 'maria@salon.example', status: 'pending' });
    const link = String(w.emails.at(-1)?.data.link);
    expect(link.startsWith('https://app.example/invitations/accept?token=')).toBe(true);
    const token = decodeURIComponent(link.split('token=')[1] as string);

    await expect(
      acceptInvitation(w.deps, { sub: 'auth0|eve', role: 'agent', email: 'eve@x.example' }, token),
    ).rejects.toThrow(ForbiddenError);
    await expect(acceptInvitation(w.deps, { sub: 'auth0|m', role: 'agent' }, `${token}x`)).rejects.toThrow(
      new NotFoundError('invitation'),
    );
    const maria = { sub: 'auth0|maria', role: 'agent' as const, email: 'maria@salon.example' };
    expect(await acceptInvitation(w.deps, maria, token)).toEqual({ tenantId, role: 'agent' });
    expect(await acceptInvitation(w.deps, maria, token)).toEqual({ tenantId, role: 'agent' });
    expect(await claimsOf(w.deps.tenants, 'auth0|maria')).toEqual({ tenantId, role: 'agent' });
    await expect(revokeInvitation(w.deps, tenantId, person('auth0|ana'), invitation.id)).rejects.toThrow(ConflictError);
    await expect(acceptInvitation(w.deps, { ...maria, sub: 'auth0|other' }, token)).rejects.toMatchObject({
      kind: 'gone',
      message: 'This invitation is accepted. Ask for a new one.',
    });

    const second = await inviteMember(w.deps, tenantId, person('auth0|ana'), {
      email: 'ion@salon.example',
      role: 'admin',
      language: 'en',
    });
    const secondToken = decodeURIComponent(String(w.emails.at(-1)?.data.link).split('token=')[1] as string);
    await revokeInvitation(w.deps, tenantId, person('auth0|ana'), second.id);
    expect(await listInvitations(w.deps, tenantId, 'revoked')).toMatchObject([{ id: second.id }]);
    await expect(
      acceptInvitation(w.deps, { sub: 'auth0|ion', role: 'agent', email: 'ion@salon.example' }, secondToken),
    ).rejects.toMatchObject({ kind: 'gone', problem: { type: 'invitation-unusable' } });
  });

  it('answers an invitation accepted again with the membership held now, finishes a join that stopped, and lets no removed member back', async () => {
    const invite = async (email: string) => {
      await inviteMember(w.deps, tenantId, person('auth0|ana'), { email, role: 'agent', language: 'en' });
      return decodeURIComponent(String(w.emails.at(-1)?.data.link).split('token=')[1] as string);
    };
    const maria = { sub: 'auth0|maria', role: 'agent' as const, email: 'maria@salon.example' };
    const token = await invite(maria.email);
    await acceptInvitation(w.deps, maria, token);
    await setMemberRole(w.deps, tenantId, person('auth0|ana'), { sub: maria.sub, role: 'admin' });
    expect(await acceptInvitation(w.deps, maria, token)).toEqual({ tenantId, role: 'admin' });
    // Removed: the link she joined with answers Gone, and she stays out.
    await removeMember(w.deps, tenantId, person('auth0|ana'), maria.sub);
    await expect(acceptInvitation(w.deps, maria, token)).rejects.toMatchObject({
      kind: 'gone',
      problem: { type: 'invitation-unusable' },
    });
    expect(await claimsOf(w.deps.tenants, maria.sub)).toEqual({});
    // A first acceptance that stopped after marking the invitation, before the membership: accepting again joins.
    const ion = { sub: 'auth0|ion', role: 'agent' as const, email: 'ion@salon.example' };
    const second = await invite(ion.email);
    await acceptInvitation(w.deps, ion, second);
    await w.deps.tenants.removeMember(tenantId, ion.sub);
    expect(await acceptInvitation(w.deps, ion, second)).toEqual({ tenantId, role: 'agent' });
    expect(await claimsOf(w.deps.tenants, ion.sub)).toEqual({ tenantId, role: 'agent' });
    // Later, no membership means a removal (one made before removals marked the invitation, say): the link stays dead.
    await w.deps.tenants.removeMember(tenantId, ion.sub);
    w.advance(11 * 60_000);
    await expect(acceptInvitation(w.deps, ion, second)).rejects.toMatchObject({ kind: 'gone' });
    expect(await claimsOf(w.deps.tenants, ion.sub)).toEqual({});
  });

  it('replaces bot settings, audits the names of what changed, and repairs a bad stored field on read', async () => {
    const before = await readBotSettings(w.deps, tenantId);
    await replaceBotSettings(w.deps, tenantId, person('auth0|ana'), { ...before, tone: 'formal', enabled: false });
    expect(w.audits.at(-1)).toMatchObject({ action: 'settings.update', details: { fields: ['enabled', 'tone'] } });
    await w.deps.tenants.update(tenantId, (t) => ({ ...t, bot: { ...t.bot, timeZone: 'Mars/Olympus' } }));
    expect((await readBotSettings(w.deps, tenantId)).timeZone).toBe(defaultBotSettings().timeZone);
    await expect(readBotSettings(w.deps, 'tn_missing')).rejects.toThrow(NotFoundError);
  });

  it('keeps tenants apart: tenant B can neither read, change nor delete tenant A’s documents', async () => {
    const other = await signUp(w.deps, person('auth0|bea'), { owner: { ...owner, email: 'bea@b.example' }, company });
    const invitation = await inviteMember(w.deps, tenantId, person('auth0|ana'), {
      email: 'maria@salon.example',
      role: 'agent',
      language: 'en',
    });
    expect(await w.deps.tenants.getInvitation(other.tenantId, invitation.id)).toBeUndefined();
    await expect(revokeInvitation(w.deps, other.tenantId, person('auth0|bea'), invitation.id)).rejects.toThrow(
      new NotFoundError('invitation'),
    );
    expect(await w.deps.tenants.updateInvitation(other.tenantId, invitation.id, (d) => d)).toBeUndefined();
    expect(await w.deps.tenants.getMember(other.tenantId, 'auth0|ana')).toBeUndefined();
    expect(await w.deps.tenants.forgetTenant(other.tenantId)).toBe(2);
    expect(await w.deps.tenants.get(other.tenantId)).toBeUndefined();
    expect((await listInvitations(w.deps, tenantId)).map((i) => i.id)).toEqual([invitation.id]);
    expect(await readAccount(w.deps, tenantId)).toMatchObject({ tenantId });
    expect(await w.deps.tenants.forgetTenant(tenantId)).toBe(3);
    expect(await claimsOf(w.deps.tenants, 'auth0|ana')).toEqual({});
  });
});
