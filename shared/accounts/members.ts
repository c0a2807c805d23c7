import { ConflictError, NotFoundError } from '../platform/domain-errors.js';
import type { Principal } from '../platform/principal.js';
import { type MemberDoc, memberId } from './account-schemas.js';
import type { AccountsDeps } from './accounts-deps.js';

/** A member as the API shows it. */
export interface MemberView {
  sub: string;
  email?: string;
  role: MemberDoc['role'];
}

type Deps = Pick<AccountsDeps, 'tenants' | 'audit' | 'clock'>;
type Owner = Pick<Principal, 'sub' | 'role'>;

const memberView = (m: MemberDoc): MemberView => ({ sub: m.sub, ...(m.email ? { email: m.email } : {}), role: m.role });

export async function listMembers(deps: Pick<AccountsDeps, 'tenants'>, tenantId: string): Promise<MemberView[]> {
  return (await deps.tenants.listMembers(tenantId)).map(memberView);
}

/** A member other than the owner: people join only by accepting an invitation, so anyone else is not found. */
async function memberBesidesOwner(
  deps: Deps,
  tenantId: string,
  owner: Owner,
  sub: string,
  refusal: string,
): Promise<MemberDoc> {
  if (sub === owner.sub) throw new ConflictError(refusal);
  const existing = await deps.tenants.getMember(tenantId, sub);
  if (!existing) throw new NotFoundError('member');
  if (existing.role === 'owner') throw new ConflictError(refusal);
  return existing;
}

/** Changes a member's role; the owner's own role never changes this way. */
export async function setMemberRole(
  deps: Deps,
  tenantId: string,
  owner: Owner,
  change: { sub: string; role: 'admin' | 'agent' },
  ip?: string,
): Promise<MemberView> {
  const existing = await memberBesidesOwner(deps, tenantId, owner, change.sub, 'The owner keeps the owner role.');
  const member: MemberDoc = { ...existing, role: change.role, updatedAt: deps.clock.now().toISOString() };
  await deps.tenants.putMember(member);
  await deps.audit({
    tenantId,
    action: 'member.role_change',
    actor: owner,
    ip,
    target: { type: 'member', id: member.id },
    details: { from: existing.role, to: change.role },
  });
  return memberView(member);
}

/** Ends a member's access at once: the API checks every call against the membership. */
export async function removeMember(
  deps: Deps,
  tenantId: string,
  owner: Owner,
  sub: string,
  ip?: string,
): Promise<void> {
  const existing = await memberBesidesOwner(
    deps,
    tenantId,
    owner,
    sub,
    'The owner cannot be removed from the account; to end it, close or delete the account.',
  );
  const now = deps.clock.now().toISOString();
  const invitations = await deps.tenants.listInvitations(tenantId);
  // The link they joined with, accepted again, must not let them back in: marked before the membership goes.
  for (const used of invitations.filter((i) => i.acceptedBy === sub))
    await deps.tenants.updateInvitation(tenantId, used.id, (d) => ({ ...d, memberRemovedAt: now }));
  if (!(await deps.tenants.removeMember(tenantId, sub))) throw new NotFoundError('member');
  // Another invitation still pending for them would let them walk back in with its link.
  const email = existing.email?.toLowerCase();
  const pending = email ? invitations.filter((i) => i.status === 'pending' && i.email.toLowerCase() === email) : [];
  for (const invitation of pending)
    await deps.tenants.updateInvitation(tenantId, invitation.id, (d) =>
      d.status === 'pending' ? { ...d, status: 'revoked', revokedAt: now } : undefined,
    );
  await deps.audit({
    tenantId,
    action: 'member.remove',
    actor: owner,
    ip,
    target: { type: 'member', id: memberId(sub) },
    details: { role: existing.role, invitationsRevoked: pending.length },
  });
}
