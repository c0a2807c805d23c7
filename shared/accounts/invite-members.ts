import { ConflictError, ForbiddenError, NotFoundError } from '../platform/domain-errors.js';
import type { Principal } from '../platform/principal.js';
import type { AccountsDeps } from './accounts-deps.js';
import {
  INVITATION_DAYS,
  type InvitationDoc,
  type InvitationStatus,
  invitationStatus,
  newInvitationSecret,
} from './invitations.js';

/** An invitation as the API shows it: its status at the time asked, never the secret. */
export interface InvitationView {
  id: string;
  email: string;
  role: InvitationDoc['role'];
  status: InvitationStatus;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  acceptedAt?: string;
  revokedAt?: string;
}

function invitationView(doc: InvitationDoc, now: Date): InvitationView {
  return {
    id: doc.id,
    email: doc.email,
    role: doc.role,
    status: invitationStatus(doc, now),
    invitedBy: doc.invitedBy,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    ...(doc.acceptedAt ? { acceptedAt: doc.acceptedAt } : {}),
    ...(doc.revokedAt ? { revokedAt: doc.revokedAt } : {}),
  };
}

/** Invites a person by e-mail; the link goes only to that address. Admins may invite agents only. */
export async function inviteMember(
  deps: Pick<AccountsDeps, 'tenants' | 'audit' | 'clock' | 'sendEmail' | 'dashboardUrl'>,
  tenantId: string,
  inviter: Pick<Principal, 'sub' | 'role'>,
  input: { email: string; role: 'admin' | 'agent'; language: 'en' | 'ro' },
  ip?: string,
): Promise<InvitationView> {
  if (inviter.role === 'admin' && input.role !== 'agent') throw new ForbiddenError('Admins may invite agents only.');
  const email = input.email.toLowerCase();
  if ((await deps.tenants.membersWithEmail(tenantId, email)).length > 0)
    throw new ConflictError('This person is already a member.');
  const tenant = await deps.tenants.get(tenantId);
  if (!tenant) throw new NotFoundError('account');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
  const { id, secretHash, token } = newInvitationSecret(tenantId);
  const doc: InvitationDoc = {
    id,
    tenantId,
    type: 'invitation',
    email,
    role: input.role,
    secretHash,
    invitedBy: inviter.sub,
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    status: 'pending',
  };
  await deps.tenants.createInvitation(doc);
  await deps.sendEmail({
    key: `invitation:${id}`,
    template: 'invitation',
    language: input.language,
    to: email,
    tenantId,
    data: {
      company: tenant.companyName,
      role: input.role,
      link: `${deps.dashboardUrl}/invitations/accept?token=${encodeURIComponent(token)}`,
      expiresAt: `${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    },
  });
  await deps.audit({
    tenantId,
    action: 'member.invite',
    actor: inviter,
    ip,
    target: { type: 'invitation', id },
    details: { role: input.role },
  });
  return invitationView(doc, now);
}

/** Newest first, optionally only those with one status (as in force now). */
export async function listInvitations(
  deps: Pick<AccountsDeps, 'tenants' | 'clock'>,
  tenantId: string,
  status?: InvitationStatus,
): Promise<InvitationView[]> {
  const now = deps.clock.now();
  return (await deps.tenants.listInvitations(tenantId))
    .map((d) => invitationView(d, now))
    .filter((v) => !status || v.status === status);
}

/** One invitation of the tenant, with its status now. */
export async function readInvitation(
  deps: Pick<AccountsDeps, 'tenants' | 'clock'>,
  tenantId: string,
  invitationId: string,
): Promise<InvitationView> {
  const doc = await deps.tenants.getInvitation(tenantId, invitationId);
  if (!doc) throw new NotFoundError('invitation');
  return invitationView(doc, deps.clock.now());
}

/** Revokes a pending invitation; revoking one already revoked or expired changes nothing. */
export async function revokeInvitation(
  deps: Pick<AccountsDeps, 'tenants' | 'audit' | 'clock'>,
  tenantId: string,
  actor: Pick<Principal, 'sub' | 'role'>,
  invitationId: string,
  ip?: string,
): Promise<void> {
  const doc = await deps.tenants.getInvitation(tenantId, invitationId);
  if (!doc) throw new NotFoundError('invitation');
  if (doc.status === 'accepted')
    throw new ConflictError(
      "This invitation was already accepted: change the member's role with PUT /api/v1/members/{memberSub} or remove them with DELETE /api/v1/members/{memberSub}.",
    );
  if (doc.status !== 'pending') return;
  await deps.tenants.updateInvitation(tenantId, doc.id, (d) =>
    d.status === 'pending' ? { ...d, status: 'revoked', revokedAt: deps.clock.now().toISOString() } : undefined,
  );
  await deps.audit({
    tenantId,
    action: 'member.invite_revoke',
    actor,
    ip,
    target: { type: 'invitation', id: doc.id },
  });
}
