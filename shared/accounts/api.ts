import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { audit } from '../audit/index.js';
import { enqueueEmail } from '../email/index.js';
import { defineRoute } from '../platform/api.js';
import { createOnce, readDoc, updateWithRetry } from '../platform/document-store.js';
import { isoTime } from '../platform/iso-time.js';
import { problems } from '../platform/problem.js';
import { QUEUES, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import {
  accountViewSchema,
  companySchema,
  type MemberDoc,
  memberId,
  ownerSchema,
  reopenDeadline,
} from './account-schemas.js';
import { defaultBotSettings } from './bot-settings.js';
import { getTenant, type TenantDoc } from './tenants.js';

function view(t: TenantDoc): z.infer<typeof accountViewSchema> {
  if (!t.owner || !t.company) throw problems.conflict('This account has no owner or company details yet.');
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

async function tenantOr404(rt: Runtime, tenantId: string): Promise<TenantDoc> {
  const t = await getTenant(rt, tenantId);
  if (!t) throw problems.notFound('account');
  return t;
}

export const signupRoute = defineRoute({
  name: 'v1-account-create',
  method: 'POST',
  path: 'v1/account',
  summary: 'Sign up: create the business account for the signed-in person, who becomes its owner',
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
  response: { status: 201, description: 'The new account', schema: accountViewSchema },
  handler: async ({ rt, principal, body, ip }) => {
    if (principal.tenantId) throw problems.conflict('This person already has an account.');
    const existing = await rt.cosmos
      .container('tenants')
      .items.query<MemberDoc>({
        query: "SELECT * FROM c WHERE c.type = 'member' AND c.sub = @sub",
        parameters: [{ name: '@sub', value: principal.sub }],
      })
      .fetchAll();
    if (existing.resources.length > 0) throw problems.conflict('This person already has an account.');
    const tenantId = `tn_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const now = rt.clock.now().toISOString();
    const tenant: TenantDoc = {
      id: tenantId,
      tenantId,
      type: 'tenant',
      companyName: body.company.name,
      status: 'active',
      bot: {
        ...defaultBotSettings({
          humanHoldMinutes: rt.settings.HUMAN_HOLD_MINUTES,
          burstWaitMs: rt.settings.BURST_WAIT_MS,
        }),
        timeZone: body.owner.timeZone,
        languages: [body.owner.preferredLanguage, ...(body.owner.preferredLanguage === 'en' ? ['ro'] : ['en'])],
      },
      owner: body.owner,
      company: body.company,
      createdAt: now,
    };
    await rt.cosmos.container('tenants').items.create(tenant);
    const member: MemberDoc = {
      id: memberId(principal.sub),
      tenantId,
      type: 'member',
      sub: principal.sub,
      email: body.owner.email,
      role: 'owner',
      createdAt: now,
      updatedAt: now,
    };
    await createOnce(rt.cosmos.container('tenants'), member);
    await audit(rt, { tenantId, action: 'account.create', actor: principal, ip });
    await enqueueEmail(rt, {
      key: `welcome:${tenantId}`,
      template: 'welcome',
      language: body.owner.preferredLanguage,
      to: body.owner.email,
      tenantId,
      data: { name: body.owner.name, company: body.company.name },
    });
    return { status: 201, body: view(tenant) };
  },
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
  handler: async ({ rt, tenantId }) => ({ status: 200, body: view(await tenantOr404(rt, tenantId)) }),
});

export const updateAccountRoute = defineRoute({
  name: 'v1-account-update',
  method: 'PATCH',
  path: 'v1/account',
  summary: 'Update owner and company details',
  tag: 'Account',
  roles: ['owner', 'admin'],
  body: z
    .strictObject({ owner: ownerSchema.partial().optional(), company: companySchema.partial().optional() })
    .meta({ id: 'AccountUpdate' }),
  errors: [404, 409],
  response: { status: 200, description: 'The account', schema: accountViewSchema },
  handler: async ({ rt, tenantId, principal, body, ip }) => {
    await tenantOr404(rt, tenantId);
    const saved = await updateWithRetry<TenantDoc>(rt.cosmos.container('tenants'), tenantId, tenantId, (t) => {
      if (!t.owner || !t.company) throw problems.conflict('This account has no owner or company details yet.');
      const company = { ...t.company, ...body.company };
      return { ...t, owner: { ...t.owner, ...body.owner }, company, companyName: company.name };
    });
    await audit(rt, {
      tenantId,
      action: 'account.update',
      actor: principal,
      ip,
      details: {
        fields: [
          ...Object.keys(body.owner ?? {}).map((k) => `owner.${k}`),
          ...Object.keys(body.company ?? {}).map((k) => `company.${k}`),
        ],
      },
    });
    return { status: 200, body: view(saved as TenantDoc) };
  },
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
  handler: async ({ rt, tenantId, principal, ip }) => {
    const t = await tenantOr404(rt, tenantId);
    if (t.status !== 'active') throw problems.conflict(`The account is ${t.status}.`);
    const saved = await updateWithRetry<TenantDoc>(rt.cosmos.container('tenants'), tenantId, tenantId, (x) => ({
      ...x,
      status: 'closed',
      closedAt: rt.clock.now().toISOString(),
    }));
    await audit(rt, { tenantId, action: 'account.close', actor: principal, ip });
    return { status: 200, body: view(saved as TenantDoc) };
  },
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
  handler: async ({ rt, tenantId, principal, ip }) => {
    const t = await tenantOr404(rt, tenantId);
    if (t.status !== 'closed' || !t.closedAt) throw problems.conflict(`The account is ${t.status}, not closed.`);
    if (rt.clock.now() > reopenDeadline(new Date(t.closedAt)))
      throw problems.conflict('The 12 months to reopen this account have passed.');
    const saved = await updateWithRetry<TenantDoc>(rt.cosmos.container('tenants'), tenantId, tenantId, (x) => {
      const { closedAt: _closed, ...rest } = x;
      return { ...rest, status: 'active' } as TenantDoc;
    });
    await audit(rt, { tenantId, action: 'account.reopen', actor: principal, ip });
    return { status: 200, body: view(saved as TenantDoc) };
  },
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
  handler: async ({ rt, tenantId, principal, body, ip }) => {
    const t = await tenantOr404(rt, tenantId);
    if (body.confirm !== `DELETE ${t.companyName}`)
      throw problems.badRequest('Confirm with "DELETE <company name>".', [
        { field: 'confirm', message: `must equal "DELETE ${t.companyName}"` },
      ]);
    if (t.status === 'deleting') throw problems.conflict('Deletion is already under way.');
    const now = rt.clock.now();
    await updateWithRetry<TenantDoc>(rt.cosmos.container('tenants'), tenantId, tenantId, (x) => ({
      ...x,
      status: 'deleting',
      deletionRequestedAt: now.toISOString(),
    }));
    await sendToQueue(rt.bus, QUEUES.privacyJobs, {
      kind: 'account-deletion',
      tenantId,
      requestedAt: now.toISOString(),
    });
    await audit(rt, { tenantId, action: 'account.delete_requested', actor: principal, ip });
    return {
      status: 202,
      body: {
        deletionRequestedAt: now.toISOString(),
        completeBy: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
      },
    };
  },
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
  handler: async ({ rt, tenantId }) => {
    const { resources } = await rt.cosmos
      .container('tenants')
      .items.query<MemberDoc>(
        {
          query: "SELECT * FROM c WHERE c.tenantId = @t AND c.type = 'member'",
          parameters: [{ name: '@t', value: tenantId }],
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return {
      status: 200,
      body: { items: resources.map((m) => ({ sub: m.sub, ...(m.email ? { email: m.email } : {}), role: m.role })) },
    };
  },
});

export const setMemberRoute = defineRoute({
  name: 'v1-members-set',
  method: 'PUT',
  path: 'v1/members/{memberSub}',
  summary: "Add a person or change their role (the owner's own role cannot change)",
  tag: 'Account',
  roles: ['owner'],
  params: z.object({ memberSub: z.string().min(1).max(200) }),
  body: z.strictObject({ role: z.enum(['admin', 'agent']), email: z.email().optional() }),
  errors: [409],
  response: { status: 200, description: 'The member', schema: memberView },
  handler: async ({ rt, tenantId, principal, params, body, ip }) => {
    if (params.memberSub === principal.sub) throw problems.conflict('The owner keeps the owner role.');
    const id = memberId(params.memberSub);
    const now = rt.clock.now().toISOString();
    const existing = await readDoc<MemberDoc>(rt.cosmos.container('tenants'), id, tenantId);
    if (existing?.role === 'owner') throw problems.conflict('The owner keeps the owner role.');
    const member: MemberDoc = {
      id,
      tenantId,
      type: 'member',
      sub: params.memberSub,
      ...(body.email ? { email: body.email } : existing?.email ? { email: existing.email } : {}),
      role: body.role,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await rt.cosmos.container('tenants').items.upsert(member);
    await audit(rt, {
      tenantId,
      action: 'member.role_change',
      actor: principal,
      ip,
      target: { type: 'member', id },
      details: { from: existing?.role ?? 'none', to: body.role },
    });
    return {
      status: 200,
      body: { sub: member.sub, ...(member.email ? { email: member.email } : {}), role: member.role },
    };
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
];
