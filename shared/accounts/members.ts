import { ConflictError } from '../platform/domain-errors.js';
import type { Principal } from '../platform/principal.js';
import { type MemberDoc, memberId } from './account-schemas.js';
import type { AccountsDeps } from './accounts-deps.js';

/** A member as the API shows it. */
export interface MemberView {
  sub: string;
  email?: string;
  role: MemberDoc['role'];
}

const memberView = (m: MemberDoc): MemberView => ({ sub: m.sub, ...(m.email ? { email: m.email } : {}), role: m.role });

export async function listMembers(deps: Pick<AccountsDeps, 'tenants'>, tenantId: string): Promise<MemberView[]> {
  return (await deps.tenants.listMembers(tenantId)).map(memberView);
}

/** Adds a person or changes their role; the owner's own role never changes this way. */
export async function setMemberRole(
  deps: Pick<AccountsDeps, 'tenants' | 'audit' | 'clock'>,
  tenantId: string,
  owner: Pick<Principal, 'sub' | 'role'>,
  change: { sub: string; role: 'admin' | 'agent'; email?: string },
  ip?: string,
): Promise<MemberView> {
  if (change.sub === owner.sub) throw new ConflictError('The owner keeps the owner role.');
  const existing = await deps.tenants.getMember(tenantId, change.sub);
  if (existing?.role === 'owner') throw new ConflictError('The owner keeps the owner role.');
  const id = memberId(change.sub);
  const now = deps.clock.now().toISOString();
  const email = change.email ?? existing?.email;
  const member: MemberDoc = {
    id,
    tenantId,
    type: 'member',
    sub: change.sub,
    ...(email ? { email } : {}),
    role: change.role,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.tenants.putMember(member);
  await deps.audit({
    tenantId,
    action: 'member.role_change',
    actor: owner,
    ip,
    target: { type: 'member', id },
    details: { from: existing?.role ?? 'none', to: change.role },
  });
  return memberView(member);
}
