import { ConflictError, ForbiddenError, GoneError, NotFoundError } from '../platform/domain-errors.js';
import type { Principal } from '../platform/principal.js';
import { type MemberDoc, memberId } from './account-schemas.js';
import type { AccountsDeps } from './accounts-deps.js';
import { type InvitationDoc, invitationStatus, parseInvitationToken, secretMatches } from './invitations.js';
import { claimsOf } from './membership-claims.js';

/** The link existed but cannot be used any more: 410 with its own problem type. */
const unusable = (detail: string) =>
  new GoneError(detail, { type: 'invitation-unusable', title: 'The invitation cannot be used' });

const REMOVED = 'You were removed from this business since you joined with this invitation. Ask for a new one.';

/** How long after an acceptance a join that stopped half-way may be finished by accepting again. */
const RESUME_JOIN_MS = 10 * 60_000;

/** The membership now held. */
export type AcceptanceOutcome = { tenantId: string; role: 'admin' | 'agent' };

/**
 * A person signed in with the invited (verified) address accepts with the link's token and joins the
 * business. Accepting again by the same person answers the same; of two people racing, one wins.
 */
export async function acceptInvitation(
  deps: Pick<AccountsDeps, 'tenants' | 'audit' | 'clock'>,
  person: Pick<Principal, 'sub' | 'role' | 'email' | 'tenantId'>,
  token: string,
  ip?: string,
): Promise<AcceptanceOutcome> {
  const parsed = parseInvitationToken(token);
  if (!parsed) throw new NotFoundError('invitation');
  const doc = await deps.tenants.getInvitation(parsed.tenantId, parsed.id);
  if (!doc || !secretMatches(parsed.secret, doc.secretHash)) throw new NotFoundError('invitation');
  const now = deps.clock.now();
  if (doc.status === 'accepted' && doc.acceptedBy === person.sub) return acceptedAgain(deps, doc, person, now, ip);
  const status = invitationStatus(doc, now);
  // Revoked, expired or used by someone else: the link existed but cannot be used any more.
  if (status !== 'pending') throw unusable(`This invitation is ${status}. Ask for a new one.`);
  if (!person.email || person.email.toLowerCase() !== doc.email)
    throw new ForbiddenError('Sign in with the e-mail address the invitation was sent to (a verified one).');
  const current = person.tenantId ? { tenantId: person.tenantId } : await claimsOf(deps.tenants, person.sub);
  if (current.tenantId) throw new ConflictError('You already belong to a business on Aliat.');
  const accepted = await deps.tenants.updateInvitation(doc.tenantId, doc.id, (d) =>
    d.status === 'pending'
      ? { ...d, status: 'accepted', acceptedAt: now.toISOString(), acceptedBy: person.sub }
      : undefined,
  );
  if (accepted?.acceptedBy !== person.sub) throw new ConflictError('This invitation was used or revoked a moment ago.');
  return join(deps, doc, person, now, ip);
}

/**
 * The same person accepting again: the membership they hold now (an owner may have changed its role), the membership
 * written if the first acceptance stopped before it, and nothing for someone removed since.
 */
async function acceptedAgain(
  deps: Pick<AccountsDeps, 'tenants' | 'audit'>,
  doc: InvitationDoc,
  person: Pick<Principal, 'sub'>,
  now: Date,
  ip?: string,
): Promise<AcceptanceOutcome> {
  if (doc.memberRemovedAt) throw unusable(REMOVED);
  const member = await deps.tenants.getMember(doc.tenantId, person.sub);
  if (member && member.role !== 'owner') return { tenantId: doc.tenantId, role: member.role };
  // Only a join that stopped moments ago is finished: later, no membership means the person was removed, perhaps
  // before removals marked the invitation.
  const acceptedAt = doc.acceptedAt ? Date.parse(doc.acceptedAt) : 0;
  if (now.getTime() - acceptedAt > RESUME_JOIN_MS)
    throw unusable('You are no longer a member of this business. Ask for a new invitation.');
  if ((await claimsOf(deps.tenants, person.sub)).tenantId)
    throw new ConflictError('You already belong to a business on Aliat.');
  const joined = await join(deps, doc, person, now, ip);
  // A removal that ran while this was joining wins.
  if ((await deps.tenants.getInvitation(doc.tenantId, doc.id))?.memberRemovedAt) {
    await deps.tenants.removeMember(doc.tenantId, person.sub);
    throw unusable(REMOVED);
  }
  return joined;
}

async function join(
  deps: Pick<AccountsDeps, 'tenants' | 'audit'>,
  doc: InvitationDoc,
  person: Pick<Principal, 'sub'>,
  now: Date,
  ip?: string,
): Promise<AcceptanceOutcome> {
  const member: MemberDoc = {
    id: memberId(person.sub),
    tenantId: doc.tenantId,
    type: 'member',
    sub: person.sub,
    email: doc.email,
    role: doc.role,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await deps.tenants.addMember(member);
  await deps.audit({
    tenantId: doc.tenantId,
    action: 'member.join',
    actor: { sub: person.sub, role: doc.role },
    ip,
    target: { type: 'invitation', id: doc.id },
    details: { role: doc.role },
  });
  return { tenantId: doc.tenantId, role: doc.role };
}
