import { z } from 'zod';
import { getTenant } from '../accounts/index.js';
import { audit } from '../audit/index.js';
import { contactRepository } from '../contacts/index.js';
import { defineRoute } from '../platform/api.js';
import { tenantIdField } from '../platform/ids.js';
import { isoTime } from '../platform/iso-time.js';
import { QUEUES, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { flagChild } from './child-flag.js';
import { deleteContact } from './contact-rights.js';
import { deletionRequestByCode, requestEndUserDeletion } from './end-user-deletion.js';
import { startEndUserExport } from './end-user-export.js';
import { exportLink } from './exports.js';
import { notifyAddress, type PrivacyJob } from './jobs.js';
import { cosmosPrivacyRecordsRepository } from './privacy-records-repository.js';
import { deletionStatusView } from './requests.js';
import { requestTenantExport, tenantExport } from './tenant-export.js';
import { type SubjectKind, subjectRef } from './tombstones.js';

/** What the privacy use-cases need from the runtime. */
function privacyDeps(rt: Runtime, kind: SubjectKind) {
  return {
    records: cosmosPrivacyRecordsRepository(rt.cosmos),
    clock: rt.clock,
    refOf: (id: string) => subjectRef(rt, kind, id),
    schedule: (job: PrivacyJob) => sendToQueue(rt.bus, QUEUES.privacyJobs, job),
  };
}

const statusView = z
  .object({
    confirmationCode: z.string(),
    status: z.enum(['pending', 'completed']),
    result: z.enum(['deleted', 'no_data_found']).optional(),
    message: z.string(),
    requestedAt: isoTime,
    dueBy: isoTime,
    completedAt: isoTime.optional(),
  })
  .meta({ id: 'DeletionStatus' });
const platformUserId = z
  .string()
  .regex(/^[\w-]{1,64}$/)
  .describe('The Instagram-scoped or page-scoped user id');

export const endUserDeletionRoute = defineRoute({
  name: 'v1-staff-end-user-deletion',
  method: 'POST',
  path: 'v1/staff/privacy/end-user-deletions',
  summary: 'Staff: delete everything about one Instagram or Messenger user id, across tenants or in one (§12.2)',
  tag: 'Staff: privacy',
  roles: ['staff'],
  body: z.strictObject({
    platformUserId,
    tenantId: tenantIdField.optional(),
    confirmTo: z.email().max(254).optional().describe('Where to send the written confirmation'),
    language: z.enum(['en', 'ro']).default('en'),
  }),
  response: { status: 202, description: 'Scheduled', schema: statusView },
  handler: async ({ rt, principal, body }) => {
    const request = await requestEndUserDeletion(privacyDeps(rt, 'end-user'), body);
    await audit(rt, {
      tenantId: '_platform',
      action: 'staff.action',
      actor: principal,
      target: { type: 'deletion-request', id: request.code },
      details: { action: 'end_user_deletion' },
    });
    return { status: 202, body: deletionStatusView(request) };
  },
});

export const deletionStatusRoute = defineRoute({
  name: 'v1-staff-deletion-status',
  method: 'GET',
  path: 'v1/staff/privacy/deletions/{confirmationCode}',
  summary: 'Staff: look up a deletion request by its confirmation code (Meta callback codes too)',
  tag: 'Staff: privacy',
  roles: ['staff'],
  params: z.object({ confirmationCode: z.string().regex(/^[a-f0-9]{32}$/) }),
  errors: [404],
  response: {
    status: 200,
    description: 'Status',
    schema: statusView.extend({
      kind: z.string(),
      counts: z.record(z.string(), z.number()).optional(),
      matched: z.object({ pagesChecked: z.number(), pageScopedIds: z.number(), ids: z.number() }).optional(),
    }),
  },
  handler: async ({ rt, params }) => {
    const doc = await deletionRequestByCode(cosmosPrivacyRecordsRepository(rt.cosmos), params.confirmationCode);
    return {
      status: 200,
      body: {
        ...deletionStatusView(doc),
        kind: doc.kind,
        ...(doc.counts ? { counts: doc.counts } : {}),
        ...(doc.matched ? { matched: doc.matched } : {}),
      },
    };
  },
});

export const endUserExportRoute = defineRoute({
  name: 'v1-staff-end-user-export',
  method: 'POST',
  path: 'v1/staff/privacy/end-user-exports',
  summary: "Staff: export one End-User's data across tenants as JSON (Art. 15/20); the link is emailed",
  tag: 'Staff: privacy',
  roles: ['staff'],
  body: z.strictObject({ platformUserId, notifyTo: notifyAddress, language: z.enum(['en', 'ro']).default('en') }),
  response: { status: 202, description: 'Export started', schema: z.object({ exportId: z.string() }) },
  handler: async ({ rt, principal, body }) => ({
    status: 202,
    body: { exportId: await startEndUserExport(rt, principal, body) },
  }),
});

export const childFlagRoute = defineRoute({
  name: 'v1-staff-child-flag',
  method: 'POST',
  path: 'v1/staff/privacy/children',
  summary: 'Staff: flag a contact as a child under 16 (§15), which deletes their data',
  tag: 'Staff: privacy',
  roles: ['staff'],
  body: z.strictObject({ tenantId: tenantIdField, contactId: z.string().regex(/^ct_[\w-]{10,64}$/) }),
  errors: [404],
  response: { status: 200, description: 'Deleted', schema: statusView },
  handler: async ({ rt, principal, body }) => {
    const deps = {
      ...privacyDeps(rt, 'contact'),
      contactExists: async (tenantId: string, contactId: string) =>
        Boolean(await contactRepository(rt).get(tenantId, contactId)),
      eraseContact: (tenantId: string, contactId: string) => deleteContact(rt, tenantId, contactId, 'child'),
      audit: (counts: Record<string, number>) =>
        audit(rt, {
          tenantId: body.tenantId,
          action: 'privacy.deletion',
          actor: principal,
          target: { type: 'contact', id: body.contactId },
          details: { reason: 'child_under_16', ...counts },
        }),
    };
    return { status: 200, body: deletionStatusView(await flagChild(deps, body.tenantId, body.contactId)) };
  },
});

export const tenantExportRoute = defineRoute({
  name: 'v1-account-export',
  method: 'POST',
  path: 'v1/account/exports',
  summary: "Export all of this account's data as JSON (Art. 15/20); the link is emailed to the owner",
  description:
    'One export is prepared at a time, and at most 3 are started a day (24 hours): each one e-mails the ' +
    'owner. A new export while one is pending, or a fourth in 24 hours, is a 409 that says when to try again. ' +
    '`Location` names where its status is read.',
  tag: 'Account',
  roles: ['owner'],
  errors: [404, 409],
  response: {
    headers: ['Location'],
    status: 202,
    description: 'Export started',
    schema: z.object({ exportId: z.string() }),
  },
  handler: async ({ rt, tenantId, principal, ip }) => {
    const tenant = await getTenant(rt, tenantId);
    const account = tenant
      ? { ownerEmail: tenant.owner?.email, language: tenant.owner?.preferredLanguage ?? 'en' }
      : undefined;
    const doc = await requestTenantExport(privacyDeps(rt, 'tenant'), tenantId, account, principal.email);
    await audit(rt, {
      tenantId,
      action: 'tenant.export',
      actor: principal,
      ip,
      target: { type: 'export', id: doc.id },
    });
    return { status: 202, body: { exportId: doc.id }, headers: { location: `/api/v1/account/exports/${doc.id}` } };
  },
});

export const getTenantExportRoute = defineRoute({
  name: 'v1-account-export-get',
  method: 'GET',
  path: 'v1/account/exports/{exportId}',
  summary: 'Status of an export and, when ready, a short-lived download link',
  tag: 'Account',
  roles: ['owner'],
  params: z.object({ exportId: z.string().regex(/^ex_[a-f0-9]{32}$/) }),
  errors: [404],
  response: {
    status: 200,
    description: 'The export',
    schema: z
      .object({
        exportId: z.string(),
        status: z.enum(['pending', 'ready', 'failed']),
        reason: z.string().optional(),
        expiresAt: isoTime,
        link: z.string().optional(),
        linkExpiresAt: isoTime.optional(),
      })
      .meta({ id: 'Export' }),
  },
  handler: async ({ rt, tenantId, params }) => {
    const doc = await tenantExport(privacyDeps(rt, 'tenant'), tenantId, params.exportId);
    const link = doc.status === 'ready' ? await exportLink(rt, doc) : undefined;
    return {
      status: 200,
      body: {
        exportId: doc.id,
        status: doc.status,
        ...(doc.failureReason ? { reason: doc.failureReason } : {}),
        expiresAt: doc.expiresAt,
        ...(link ? { link: link.url, linkExpiresAt: link.expiresOn.toISOString() } : {}),
      },
    };
  },
});

export const privacyRoutes = [
  endUserDeletionRoute,
  deletionStatusRoute,
  endUserExportRoute,
  childFlagRoute,
  tenantExportRoute,
  getTenantExportRoute,
];
