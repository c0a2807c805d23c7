import { z } from 'zod';
import { tenantRepositoryOf } from '../accounts/index.js';
import { auditTo } from '../audit/index.js';
import { defineRoute } from '../platform/api.js';
import type { Runtime } from '../platform/runtime.js';
import { saveBreachNotice } from '../privacy/index.js';
import { type NoticeDeps, sendBreachNotice, sendPolicyNotice } from './customer-notices.js';
import { enqueueEmail } from './outbox.js';

function noticeDeps(rt: Runtime): NoticeDeps {
  return {
    tenants: tenantRepositoryOf(rt),
    sendEmail: (job) => enqueueEmail(rt, job),
    audit: auditTo(rt),
    clock: rt.clock,
    recordBreachNotice: (doc) => saveBreachNotice(rt.cosmos, doc),
  };
}

export const breachNoticeRoute = defineRoute({
  name: 'v1-staff-breach-notice',
  method: 'POST',
  path: 'v1/staff/notices/breach',
  summary: 'Staff: notify affected customers of a personal data breach and record when each was told (§10, 48 hours)',
  tag: 'Staff: notices',
  roles: ['staff'],
  body: z.strictObject({
    knownAt: z.iso.datetime(),
    description: z.string().min(10).max(4000),
    measures: z.string().min(10).max(4000),
    tenantIds: z.array(z.string().min(1)).min(1).optional().describe('Affected tenants; all when absent'),
  }),
  response: {
    status: 202,
    description: 'Notices queued',
    schema: z
      .object({ noticeId: z.string(), notified: z.number().int(), deadline: z.string(), withinDeadline: z.boolean() })
      .meta({ id: 'BreachNotice' }),
  },
  handler: async ({ rt, principal, body }) => ({
    status: 202,
    body: await sendBreachNotice(noticeDeps(rt), principal, body),
  }),
});

export const policyNoticeRoute = defineRoute({
  name: 'v1-staff-policy-notice',
  method: 'POST',
  path: 'v1/staff/notices/policy-change',
  summary: 'Staff: tell every customer about a change to the privacy policy',
  tag: 'Staff: notices',
  roles: ['staff'],
  body: z.strictObject({
    effectiveOn: z.iso.date(),
    summary: z.string().min(10).max(4000),
    requiredByLaw: z
      .boolean()
      .default(false)
      .describe('§16: only a change the law requires may take effect sooner than 30 days after the notice'),
  }),
  errors: [400],
  response: { status: 202, description: 'Notices queued', schema: z.object({ notified: z.number().int() }) },
  handler: async ({ rt, principal, body }) => ({
    status: 202,
    body: await sendPolicyNotice(noticeDeps(rt), principal, body),
  }),
});

export const noticeRoutes = [breachNoticeRoute, policyNoticeRoute];
