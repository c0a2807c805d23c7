import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../platform/domain-errors.js';
import type { Principal } from '../platform/principal.js';
import {
  type accountViewSchema,
  type Company,
  type MemberDoc,
  memberId,
  type Owner,
  reopenDeadline,
} from './account-schemas.js';
import type { AccountsDeps } from './accounts-deps.js';
import type { TenantDoc } from './tenant-doc.js';

type AccountView = z.infer<typeof accountViewSchema>;
type Actor = Pick<Principal, 'sub' | 'role'>;
type Deps = Pick<AccountsDeps, 'tenants' | 'audit' | 'clock'>;

/** How long an erasure may take after the owner asks for it (§12.1). */
const DELETION_DAYS = 30;

/** Pure: the account as the API shows it. */
function accountView(t: TenantDoc): AccountView {
  if (!t.owner || !t.company) throw new ConflictError('This account has no owner or company details yet.');
  return {
    tenantId: t.id,
    status: t.status,
    owner: t.owner,
    company: t.company,
    createdAt: t.createdAt,
    ...(t.closedAt ? { closedAt: t.closedAt, reopenUntil: reopenDeadline(new Date(t.closedAt)).toISOString() } : {}),
    ...(t.deletionRequestedAt ? { deletionRequestedAt: t.deletionRequestedAt } : {}),
  };
}

async function existingTenant(deps: Pick<AccountsDeps, 'tenants'>, tenantId: string): Promise<TenantDoc> {
  const t = await deps.tenants.get(tenantId);
  if (!t) throw new NotFoundError('account');
  return t;
}

/**
 * A signed-in person without a business creates one and becomes its owner. The welcome mail goes to
 * the owner address at once, so with a verified sign-in address (the token's `email`) it must be that
 * one: nobody signs a stranger up for mail from Aliat.
 */
export async function signUp(
  deps: Pick<AccountsDeps, 'tenants' | 'audit' | 'clock' | 'sendEmail' | 'botDefaults'>,
  person: Pick<Principal, 'sub' | 'role' | 'tenantId' | 'email'>,
  input: { owner: Owner; company: Company },
  ip?: string,
): Promise<AccountView> {
  if (person.email && person.email.toLowerCase() !== input.owner.email.toLowerCase())
    throw new InvalidInputError('The owner e-mail must be the address you signed in with.', [
      { field: 'owner.email', message: 'must be the address you signed in with' },
    ]);
  if (person.tenantId || (await deps.tenants.membershipsOf(person.sub)).length > 0)
    throw new ConflictError('This person already has an account.');
  const tenantId = `tn_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const now = deps.clock.now().toISOString();
  const language = input.owner.preferredLanguage;
  const tenant: TenantDoc = {
    id: tenantId,
    tenantId,
    type: 'tenant',
    companyName: input.company.name,
    status: 'active',
    bot: {
      ...deps.botDefaults,
      timeZone: input.owner.timeZone,
      languages: [language, ...(language === 'en' ? ['ro'] : ['en'])],
    },
    owner: input.owner,
    company: input.company,
    createdAt: now,
  };
  if (!(await deps.tenants.create(tenant))) throw new ConflictError('This account exists already.');
  const member: MemberDoc = {
    id: memberId(person.sub),
    tenantId,
    type: 'member',
    sub: person.sub,
    email: input.owner.email,
    role: 'owner',
    createdAt: now,
    updatedAt: now,
  };
  await deps.tenants.addMember(member);
  await deps.audit({ tenantId, action: 'account.create', actor: person, ip });
  // Only to an address the sign-in proved (the token's verified e-mail, matched above): a sign-in without one could
  // otherwise have Aliat mail a stranger a company name of its choosing.
  if (person.email)
    await deps.sendEmail({
      key: `welcome:${tenantId}`,
      template: 'welcome',
      language,
      to: input.owner.email,
      tenantId,
      data: { name: input.owner.name, company: input.company.name },
    });
  return accountView(tenant);
}

export async function readAccount(deps: Pick<AccountsDeps, 'tenants'>, tenantId: string): Promise<AccountView> {
  return accountView(await existingTenant(deps, tenantId));
}

/**
 * Changes owner and company details; the names of the changed fields go to the audit log, never the
 * values. Only the owner changes `owner`: its e-mail is where the full export link and the deletion
 * and breach notices go, which an admin must not be able to redirect to themself.
 */
export async function updateAccount(
  deps: Deps,
  tenantId: string,
  actor: Actor & Pick<Principal, 'email'>,
  change: { owner?: Partial<Owner>; company?: Partial<Company> },
  ip?: string,
): Promise<AccountView> {
  if (change.owner && actor.role !== 'owner')
    throw new ForbiddenError("Only the owner may change the owner's details; admins may change the company's.");
  await existingTenant(deps, tenantId);
  const newEmail = change.owner?.email;
  const saved = await deps.tenants.update(tenantId, (t) => {
    if (!t.owner || !t.company) throw new ConflictError('This account has no owner or company details yet.');
    // Exports, deletion notices and billing mail go to this address: as at sign-up, only one the sign-in proves.
    const moves = newEmail !== undefined && newEmail.toLowerCase() !== t.owner.email.toLowerCase();
    if (moves && actor.email?.toLowerCase() !== newEmail.toLowerCase())
      throw new InvalidInputError('Sign in with the new address to make it the owner e-mail.', [
        { field: 'owner.email', message: 'must be the address you signed in with' },
      ]);
    const company = { ...t.company, ...change.company };
    return { ...t, owner: { ...t.owner, ...change.owner }, company, companyName: company.name };
  });
  if (!saved) throw new NotFoundError('account');
  await deps.audit({
    tenantId,
    action: 'account.update',
    actor,
    ip,
    details: {
      fields: [
        ...Object.keys(change.owner ?? {}).map((k) => `owner.${k}`),
        ...Object.keys(change.company ?? {}).map((k) => `company.${k}`),
      ],
    },
  });
  return accountView(saved);
}

/** Closes an active account: the bot stops, and the owner may reopen it within 12 months. */
export async function closeAccount(deps: Deps, tenantId: string, actor: Actor, ip?: string): Promise<AccountView> {
  const t = await existingTenant(deps, tenantId);
  if (t.status !== 'active') throw new ConflictError(`The account is ${t.status}.`);
  const saved = await deps.tenants.update(tenantId, (x) => ({
    ...x,
    status: 'closed',
    closedAt: deps.clock.now().toISOString(),
  }));
  if (!saved) throw new NotFoundError('account');
  await deps.audit({ tenantId, action: 'account.close', actor, ip });
  return accountView(saved);
}

export async function reopenAccount(deps: Deps, tenantId: string, actor: Actor, ip?: string): Promise<AccountView> {
  const t = await existingTenant(deps, tenantId);
  if (t.status !== 'closed' || !t.closedAt) throw new ConflictError(`The account is ${t.status}, not closed.`);
  if (deps.clock.now() > reopenDeadline(new Date(t.closedAt)))
    throw new ConflictError('The 12 months to reopen this account have passed.');
  const saved = await deps.tenants.update(tenantId, (x) => {
    // The purge marks a closure's Knowledge Base as purged; a later closure's must be purged again (§9).
    const { closedAt: _closed, kbPurgedAt: _purged, ...rest } = x;
    return { ...rest, status: 'active' };
  });
  if (!saved) throw new NotFoundError('account');
  await deps.audit({ tenantId, action: 'account.reopen', actor, ip });
  return accountView(saved);
}

/** The owner confirms with "DELETE <company name>"; the erasure itself runs in the privacy slice. */
export async function requestAccountDeletion(
  deps: Deps & Pick<AccountsDeps, 'requestErasure'>,
  tenantId: string,
  actor: Actor,
  confirm: string,
  ip?: string,
): Promise<{ deletionRequestedAt: string; completeBy: string }> {
  const t = await existingTenant(deps, tenantId);
  if (confirm !== `DELETE ${t.companyName}`)
    throw new InvalidInputError('Confirm with "DELETE <company name>".', [
      { field: 'confirm', message: `must equal "DELETE ${t.companyName}"` },
    ]);
  if (t.status === 'deleting') throw new ConflictError('Deletion is already under way.');
  const now = deps.clock.now();
  await deps.tenants.update(tenantId, (x) => ({ ...x, status: 'deleting', deletionRequestedAt: now.toISOString() }));
  await deps.requestErasure({ kind: 'account-deletion', tenantId, requestedAt: now.toISOString() });
  await deps.audit({ tenantId, action: 'account.delete_requested', actor, ip });
  return {
    deletionRequestedAt: now.toISOString(),
    completeBy: new Date(now.getTime() + DELETION_DAYS * 86_400_000).toISOString(),
  };
}
