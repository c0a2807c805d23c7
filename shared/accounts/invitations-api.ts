import { z } from 'zod';
import { defineRoute } from '../platform/api.js';
import { isoTime } from '../platform/iso-time.js';
import { acceptInvitation } from './accept-invitation.js';
import { accountsDeps } from './accounts-deps.js';
import { INVITATION_DAYS } from './invitations.js';
import { inviteMember, listInvitations, readInvitation, revokeInvitation } from './invite-members.js';

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
    headers: ['Location'],
    status: 201,
    description: 'The invitation; the link goes only to the invited address',
    schema: invitationView,
  },
  handler: async ({ rt, tenantId, principal, body, ip }) => {
    const invitation = await inviteMember(accountsDeps(rt), tenantId, principal, body, ip);
    return { status: 201, body: invitation, headers: { location: `/api/v1/invitations/${invitation.id}` } };
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
  handler: async ({ rt, tenantId, query }) => ({
    status: 200,
    body: { items: await listInvitations(accountsDeps(rt), tenantId, query.status) },
  }),
});

const invitationParams = z.object({ invitationId: z.string().regex(/^inv_[0-9a-f]{20}$/) });

export const getInvitationRoute = defineRoute({
  name: 'v1-invitations-get',
  method: 'GET',
  path: 'v1/invitations/{invitationId}',
  summary: 'One invitation with its status (the Location of a new invitation)',
  tag: 'Account',
  roles: ['owner', 'admin'],
  params: invitationParams,
  errors: [404],
  response: { status: 200, description: 'The invitation', schema: invitationView },
  handler: async ({ rt, tenantId, params }) => ({
    status: 200,
    body: await readInvitation(accountsDeps(rt), tenantId, params.invitationId),
  }),
});

export const revokeInvitationRoute = defineRoute({
  name: 'v1-invitations-revoke',
  method: 'DELETE',
  path: 'v1/invitations/{invitationId}',
  summary: 'Revoke a pending invitation; its link stops working at once',
  tag: 'Account',
  roles: ['owner', 'admin'],
  params: invitationParams,
  errors: [404, 409],
  response: { status: 204, description: 'Revoked' },
  handler: async ({ rt, tenantId, principal, params, ip }) => {
    await revokeInvitation(accountsDeps(rt), tenantId, principal, params.invitationId, ip);
    return { status: 204 };
  },
});

export const acceptInvitationRoute = defineRoute({
  name: 'v1-invitations-accept',
  method: 'POST',
  path: 'v1/invitations/accept',
  summary:
    "Accept an invitation with the link's token, signed in with the invited e-mail address. Then get a new access token: it carries the tenant and role.",
  description:
    'Accepting again by the person who accepted answers 200 with the membership they hold now; 409 is for someone ' +
    'who already belongs to another business, 410 for a link revoked, expired, used by someone else, or of a member ' +
    'removed since.',
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
    return { status: 200, body: await acceptInvitation(accountsDeps(rt), principal, body.token, ip) };
  },
});

export const invitationRoutes = [
  createInvitationRoute,
  listInvitationsRoute,
  getInvitationRoute,
  revokeInvitationRoute,
  acceptInvitationRoute,
];
