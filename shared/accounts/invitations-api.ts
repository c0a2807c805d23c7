import { z } from 'zod';
import { audit } from '../audit/index.js';
import { enqueueEmail } from '../email/index.js';
import { defineRoute } from '../platform/api.js';
import { createOnce, readDoc, updateWithRetry } from '../platform/document-store.js';
import { isoTime } from '../platform/iso-time.js';
import { HttpProblem, problems } from '../platform/problem.js';
import type { Runtime } from '../platform/runtime.js';
import { type MemberDoc, memberId } from './account-schemas.js';
import { claimsFor } from './claims.js';
import {
  INVITATION_DAYS,
  type InvitationDoc,
  invitationStatus,
  newInvitationSecret,
  parseInvitationToken,
  secretMatches,
} from './invitations.js';
import { getTenant } from './tenants.js';

const invitationView = z
  .object({
    id: z.string(),
    email: z.email(),
    role: z.enum(['admin', 'agent']),
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    invitedBy: z.string(),
    createdAt: isoTime,
    expiresAt: isoTime,
    acceptedAt: isoTime.optional(),
    revokedAt: isoTime.optional(),
  })
  .meta({ id: 'Invitation' });

function view(doc: InvitationDoc, now: Date): z.infer<typeof invitationView> {
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

function dashboardUrl(rt: Runtime): string {
  return (rt.settings.DASHBOARD_URL ?? rt.settings.DASHBOARD_ORIGINS[0] ?? rt.settings.PUBLIC_BASE_URL).replace(
    /\/$/,
    '',
  );
}

export const createInvitationRoute = defineRoute({
  name: 'v1-invitations-create',
  method: 'POST',
  path: 'v1/invitations',
  summary: `Invite a person by e-mail; the link works for ${INVITATION_DAYS} days. Admins may invite agents only.`,
  tag: 'Account',
  roles: ['owner', 'admin'],
  body: z
    .strictObject({
      email: z.email().max(320),
      role: z.enum(['admin', 'agent']),
      language: z.enum(['en', 'ro']).default('en'),
    })
    .meta({ id: 'InvitationRequest', example: { email: 'maria@salon.example', role: 'agent', language: 'ro' } }),
  errors: [409],
  response: {
    status: 201,
    description: 'The invitation; the link goes only to the invited address',
    schema: invitationView,
  },
  handler: async ({ rt, tenantId, principal, body, ip }) => {
    if (principal.role === 'admin' && body.role !== 'agent') throw problems.forbidden('Admins may invite agents only.');
    const email = body.email.toLowerCase();
    const members = await rt.cosmos
      .container('tenants')
      .items.query<MemberDoc>(
        {
          query: "SELECT * FROM c WHERE c.tenantId = @t AND c.type = 'member' AND LOWER(c.email) = @e",
          parameters: [
            { name: '@t', value: tenantId },
            { name: '@e', value: email },
          ],
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    if (members.resources.length > 0) throw problems.conflict('This person is already a member.');
    const tenant = await getTenant(rt, tenantId);
    if (!tenant) throw problems.notFound('account');
    const now = rt.clock.now();
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
    const { id, secretHash, token } = newInvitationSecret(tenantId);
    const doc: InvitationDoc = {
      id,
      tenantId,
      type: 'invitation',
      email,
      role: body.role,
      secretHash,
      invitedBy: principal.sub,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      status: 'pending',
    };
    await rt.cosmos.container('tenants').items.create(doc);
    await enqueueEmail(rt, {
      key: `invitation:${id}`,
      template: 'invitation',
      language: body.language,
      to: email,
      tenantId,
      data: {
        company: tenant.companyName,
        role: body.role,
        link: `${dashboardUrl(rt)}/invitations/accept?token=${encodeURIComponent(token)}`,
        expiresAt: `${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      },
    });
    await audit(rt, {
      tenantId,
      action: 'member.invite',
      actor: principal,
      ip,
      target: { type: 'invitation', id },
      details: { role: body.role },
    });
    return { status: 201, body: view(doc, now), headers: { location: `/api/v1/invitations/${id}` } };
  },
});

export const listInvitationsRoute = defineRoute({
  name: 'v1-invitations-list',
  method: 'GET',
  path: 'v1/invitations',
  summary: 'Invitations of this account, newest first, with their status',
  tag: 'Account',
  roles: ['owner', 'admin'],
  query: z.object({ status: z.enum(['pending', 'accepted', 'revoked', 'expired']).optional() }),
  response: { status: 200, description: 'Invitations', schema: z.object({ items: z.array(invitationView) }) },
  handler: async ({ rt, tenantId, query }) => {
    const { resources } = await rt.cosmos
      .container('tenants')
      .items.query<InvitationDoc>(
        {
          query: "SELECT * FROM c WHERE c.tenantId = @t AND c.type = 'invitation' ORDER BY c.createdAt DESC",
          parameters: [{ name: '@t', value: tenantId }],
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    const now = rt.clock.now();
    const items = resources.map((d) => view(d, now)).filter((v) => !query.status || v.status === query.status);
    return { status: 200, body: { items } };
  },
});

export const revokeInvitationRoute = defineRoute({
  name: 'v1-invitations-revoke',
  method: 'DELETE',
  path: 'v1/invitations/{invitationId}',
  summary: 'Revoke a pending invitation; its link stops working at once',
  tag: 'Account',
  roles: ['owner', 'admin'],
  params: z.object({ invitationId: z.string().regex(/^inv_[0-9a-f]{20}$/) }),
  errors: [404, 409],
  response: { status: 204, description: 'Revoked' },
  handler: async ({ rt, tenantId, principal, params, ip }) => {
    const container = rt.cosmos.container('tenants');
    const doc = await readDoc<InvitationDoc>(container, params.invitationId, tenantId);
    if (doc?.type !== 'invitation') throw problems.notFound('invitation');
    if (doc.status === 'accepted')
      throw problems.conflict('This invitation was already accepted; change or remove the member instead.');
    if (doc.status === 'pending') {
      await updateWithRetry<InvitationDoc>(container, doc.id, tenantId, (d) =>
        d.status === 'pending' ? { ...d, status: 'revoked', revokedAt: rt.clock.now().toISOString() } : undefined,
      );
      await audit(rt, {
        tenantId,
        action: 'member.invite_revoke',
        actor: principal,
        ip,
        target: { type: 'invitation', id: doc.id },
      });
    }
    return { status: 204 };
  },
});

export const acceptInvitationRoute = defineRoute({
  name: 'v1-invitations-accept',
  method: 'POST',
  path: 'v1/invitations/accept',
  summary:
    "Accept an invitation with the link's token, signed in with the invited e-mail address. Then get a new access token: it carries the tenant and role.",
  tag: 'Account',
  roles: ['owner', 'admin', 'agent'],
  signup: true,
  body: z.strictObject({ token: z.string().min(1).max(300) }).meta({ id: 'InvitationAcceptance' }),
  errors: [404, 409, 410],
  response: {
    status: 200,
    description: 'The membership now held',
    schema: z.object({ tenantId: z.string(), role: z.enum(['admin', 'agent']) }).meta({ id: 'Membership' }),
  },
  handler: async ({ rt, principal, body, ip }) => {
    const parsed = parseInvitationToken(body.token);
    if (!parsed) throw problems.notFound('invitation');
    const container = rt.cosmos.container('tenants');
    const doc = await readDoc<InvitationDoc>(container, parsed.id, parsed.tenantId);
    if (doc?.type !== 'invitation' || !secretMatches(parsed.secret, doc.secretHash))
      throw problems.notFound('invitation');
    const now = rt.clock.now();
    if (doc.status === 'accepted' && doc.acceptedBy === principal.sub)
      return { status: 200, body: { tenantId: doc.tenantId, role: doc.role } };
    const status = invitationStatus(doc, now);
    if (status !== 'pending')
      throw new HttpProblem(
        410,
        'invitation-unusable',
        'The invitation cannot be used',
        `This invitation is ${status}. Ask for a new one.`,
      );
    if (!principal.email || principal.email.toLowerCase() !== doc.email)
      throw problems.forbidden('Sign in with the e-mail address the invitation was sent to (a verified one).');
    const current = principal.tenantId ? { tenantId: principal.tenantId } : await claimsFor(rt, principal.sub);
    if (current.tenantId) throw problems.conflict('You already belong to a business on Aliat.');
    const accepted = await updateWithRetry<InvitationDoc>(container, doc.id, doc.tenantId, (d) =>
      d.status === 'pending'
        ? { ...d, status: 'accepted', acceptedAt: now.toISOString(), acceptedBy: principal.sub }
        : undefined,
    );
    if (accepted?.acceptedBy !== principal.sub)
      throw problems.conflict('This invitation was used or revoked a moment ago.');
    const member: MemberDoc = {
      id: memberId(principal.sub),
      tenantId: doc.tenantId,
      type: 'member',
      sub: principal.sub,
      email: doc.email,
      role: doc.role,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await createOnce(container, member);
    await audit(rt, {
      tenantId: doc.tenantId,
      action: 'member.join',
      actor: { ...principal, role: doc.role },
      ip,
      target: { type: 'invitation', id: doc.id },
      details: { role: doc.role },
    });
    return { status: 200, body: { tenantId: doc.tenantId, role: doc.role } };
  },
});

export const invitationRoutes = [
  createInvitationRoute,
  listInvitationsRoute,
  revokeInvitationRoute,
  acceptInvitationRoute,
];
