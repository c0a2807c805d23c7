import { z } from 'zod';
import { releaseMemberConversations } from '../conversations/index.js';
import { defineRoute } from '../platform/api.js';
import { isoTime } from '../platform/iso-time.js';
import { realtimeUserId } from '../realtime/index.js';
import {
  closeAccount,
  readAccount,
  reopenAccount,
  requestAccountDeletion,
  signUp,
  updateAccount,
} from './account-lifecycle.js';
import { accountViewSchema, companySchema, ownerSchema } from './account-schemas.js';
import { accountsDeps } from './accounts-deps.js';
import { listMembers, removeMember, setMemberRole } from './members.js';

export const signupRoute = defineRoute({
  name: 'v1-account-create',
  method: 'POST',
  path: 'v1/account',
  summary: 'Sign up: create the business account for the signed-in person, who becomes its owner',
  description:
    'Called with a token that names no tenant yet. When the token carries the verified sign-in `email`, ' +
    '`owner.email` must be that address (any case); otherwise it is a 400 naming `owner.email`.',
  tag: 'Account',
  roles: ['owner'],
  signup: true,
  body: z.strictObject({ owner: ownerSchema, company: companySchema }).meta({
    id: 'SignUp',
    example: {
      owner: {
        name: 'Ana Pop',
        email: 'ana@salon-aurora.example',
        preferredLanguage: 'ro',
        timeZone: 'Europe/Bucharest',
      },
      company: { name: 'Salon Aurora', country: 'RO', businessType: 'salon' },
    },
  }),
  errors: [409],
  response: { headers: ['Location'], status: 201, description: 'The new account', schema: accountViewSchema },
  handler: async ({ rt, principal, body, ip }) => ({
    status: 201,
    body: await signUp(accountsDeps(rt), principal, body, ip),
    headers: { location: '/api/v1/account' },
  }),
});

export const getAccountRoute = defineRoute({
  name: 'v1-account-get',
  method: 'GET',
  path: 'v1/account',
  summary: 'Read the account',
  tag: 'Account',
  roles: ['owner', 'admin'],
  errors: [404, 409],
  response: { status: 200, description: 'The account', schema: accountViewSchema },
  handler: async ({ rt, tenantId }) => ({ status: 200, body: await readAccount(accountsDeps(rt), tenantId) }),
});

export const updateAccountRoute = defineRoute({
  name: 'v1-account-update',
  method: 'PATCH',
  path: 'v1/account',
  summary: 'Update owner and company details',
  description:
    "Admins may change `company` only: `owner` (where exports and notices are mailed) is the owner's to change (403). " +
    "A new `owner.email` must be the address the owner signed in with (the token's `email`), as at sign-up (400).",
  tag: 'Account',
  roles: ['owner', 'admin'],
  body: z
    .strictObject({ owner: ownerSchema.partial().optional(), company: companySchema.partial().optional() })
    .meta({ id: 'AccountUpdate' }),
  errors: [404, 409],
  response: { status: 200, description: 'The account', schema: accountViewSchema },
  handler: async ({ rt, tenantId, principal, body, ip }) => ({
    status: 200,
    body: await updateAccount(accountsDeps(rt), tenantId, principal, body, ip),
  }),
});

export const closeAccountRoute = defineRoute({
  name: 'v1-account-close',
  method: 'POST',
  path: 'v1/account/close',
  summary: 'Close the account: the bot stops; it can be reopened within 12 months (§9, §12.1)',
  tag: 'Account',
  roles: ['owner'],
  errors: [404, 409],
  response: { status: 200, description: 'The closed account', schema: accountViewSchema },
  handler: async ({ rt, tenantId, principal, ip }) => ({
    status: 200,
    body: await closeAccount(accountsDeps(rt), tenantId, principal, ip),
  }),
});

export const reopenAccountRoute = defineRoute({
  name: 'v1-account-reopen',
  method: 'POST',
  path: 'v1/account/reopen',
  summary: 'Reopen a closed account, within 12 months of closing',
  tag: 'Account',
  roles: ['owner'],
  errors: [404, 409],
  response: { status: 200, description: 'The account, active again', schema: accountViewSchema },
  handler: async ({ rt, tenantId, principal, ip }) => ({
    status: 200,
    body: await reopenAccount(accountsDeps(rt), tenantId, principal, ip),
  }),
});

export const deleteAccountRoute = defineRoute({
  name: 'v1-account-delete',
  method: 'DELETE',
  path: 'v1/account',
  summary: 'Delete the account and its data within 30 days (§12.1). Confirm with the exact company name.',
  tag: 'Account',
  roles: ['owner'],
  body: z
    .strictObject({ confirm: z.string().describe('Must be "DELETE <company name>"') })
    .meta({ id: 'AccountDeletion' }),
  errors: [404, 409],
  response: {
    status: 202,
    description: 'Deletion scheduled',
    schema: z.object({ deletionRequestedAt: isoTime, completeBy: isoTime }),
  },
  handler: async ({ rt, tenantId, principal, body, ip }) => ({
    status: 202,
    body: await requestAccountDeletion(accountsDeps(rt), tenantId, principal, body.confirm, ip),
  }),
});

const memberView = z
  .object({ sub: z.string(), email: z.string().optional(), role: z.enum(['owner', 'admin', 'agent']) })
  .meta({ id: 'Member' });

export const listMembersRoute = defineRoute({
  name: 'v1-members-list',
  method: 'GET',
  path: 'v1/members',
  summary: 'People with access to this account, and their roles',
  tag: 'Account',
  roles: ['owner', 'admin'],
  response: { status: 200, description: 'Members', schema: z.object({ items: z.array(memberView) }) },
  handler: async ({ rt, tenantId }) => ({
    status: 200,
    body: { items: await listMembers(accountsDeps(rt), tenantId) },
  }),
});

const memberParams = z.object({ memberSub: z.string().min(1).max(200) });

export const setMemberRoute = defineRoute({
  name: 'v1-members-set',
  method: 'PUT',
  path: 'v1/members/{memberSub}',
  summary: "Change a member's role (the owner's own role cannot change)",
  description:
    'Only changes the role of an existing member: people join only by accepting an invitation ' +
    '(POST /api/v1/invitations, then POST /api/v1/invitations/accept), so anyone else is 404. The new role ' +
    "holds from the member's next call, without waiting for a new token.",
  tag: 'Account',
  roles: ['owner'],
  params: memberParams,
  body: z.strictObject({ role: z.enum(['admin', 'agent']) }),
  errors: [404, 409],
  response: { status: 200, description: 'The member', schema: memberView },
  handler: async ({ rt, tenantId, principal, params, body, ip }) => ({
    status: 200,
    body: await setMemberRole(accountsDeps(rt), tenantId, principal, { sub: params.memberSub, ...body }, ip),
  }),
});

export const removeMemberRoute = defineRoute({
  name: 'v1-members-remove',
  method: 'DELETE',
  path: 'v1/members/{memberSub}',
  summary: 'Remove a member: their access ends at once, even with a token they already hold',
  description:
    'The owner cannot be removed (409); a person who is not a member is 404. Audited as member.remove. The conversations assigned to them become unassigned.',
  tag: 'Account',
  roles: ['owner'],
  params: memberParams,
  errors: [404, 409],
  response: { status: 204, description: 'Removed' },
  handler: async ({ rt, tenantId, principal, params, ip }) => {
    await removeMember(accountsDeps(rt), tenantId, principal, params.memberSub, ip);
    // What they were assigned goes back to the team, and an inbox they have open stops listening.
    await releaseMemberConversations(rt, tenantId, params.memberSub, principal.sub);
    await rt.realtime.closeUser(realtimeUserId(tenantId, params.memberSub), 'removed from the account');
    return { status: 204 };
  },
});

export const accountRoutes = [
  signupRoute,
  getAccountRoute,
  updateAccountRoute,
  closeAccountRoute,
  reopenAccountRoute,
  deleteAccountRoute,
  listMembersRoute,
  setMemberRoute,
  removeMemberRoute,
];
