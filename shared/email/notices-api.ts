import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TenantDoc } from '../accounts/index.js';
import { audit } from '../audit/index.js';
import { defineRoute } from '../platform/api.js';
import { problems } from '../platform/problem.js';
import type { Runtime } from '../platform/runtime.js';
import { enqueueEmail } from './outbox.js';

/** §10: customers hear of a breach within 48 hours of our becoming aware of it. */
export const BREACH_NOTICE_HOURS = 48;

/** A breach and when each customer was notified, against the 48-hour promise. */
export interface BreachNoticeDoc {
  id: string;
  type: 'breach-notice';
  knownAt: string;
  deadline: string;
  notifications: Array<{ tenantId: string; notifiedAt: string }>;
  createdAt: string;
}

async function owners(rt: Runtime, tenantIds: string[] | undefined): Promise<TenantDoc[]> {
  const { resources } = await rt.cosmos
    .container('tenants')
    .items.query<TenantDoc>("SELECT * FROM c WHERE c.type = 'tenant' AND c.status != 'deleting'")
    .fetchAll();
  return resources.filter((t) => t.owner && (!tenantIds || tenantIds.includes(t.id)));
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
  handler: async ({ rt, principal, body }) => {
    const now = rt.clock.now();
    const deadline = new Date(Date.parse(body.knownAt) + BREACH_NOTICE_HOURS * 3_600_000);
    const noticeId = `bn_${randomUUID().replace(/-/g, '')}`;
    const notifications: BreachNoticeDoc['notifications'] = [];
    for (const t of await owners(rt, body.tenantIds)) {
      await enqueueEmail(rt, {
        key: `breach:${noticeId}:${t.id}`,
        template: 'breach_notice',
        language: t.owner?.preferredLanguage ?? 'en',
        to: t.owner?.email ?? '',
        tenantId: t.id,
        data: {
          company: t.companyName,
          knownAt: body.knownAt.slice(0, 16).replace('T', ' '),
          description: body.description,
          measures: body.measures,
        },
      });
      notifications.push({ tenantId: t.id, notifiedAt: now.toISOString() });
    }
    const doc: BreachNoticeDoc = {
      id: noticeId,
      type: 'breach-notice',
      knownAt: body.knownAt,
      deadline: deadline.toISOString(),
      notifications,
      createdAt: now.toISOString(),
    };
    await rt.cosmos.container('privacy').items.create(doc);
    await audit(rt, {
      tenantId: '_platform',
      action: 'staff.action',
      actor: principal,
      target: { type: 'breach-notice', id: noticeId },
      details: { action: 'breach_notice', notified: notifications.length },
    });
    return {
      status: 202,
      body: { noticeId, notified: notifications.length, deadline: doc.deadline, withinDeadline: now <= deadline },
    };
  },
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
  handler: async ({ rt, principal, body }) => {
    const earliest = earliestEffectiveDate(rt.clock.now());
    if (!body.requiredByLaw && body.effectiveOn < earliest) {
      throw problems.badRequest(
        `§16 promises at least 30 days' notice: the change can take effect on ${earliest} at the earliest (or set requiredByLaw for a change the law requires sooner).`,
        [{ field: 'effectiveOn', message: `must be on or after ${earliest}` }],
      );
    }
    const all = await owners(rt, undefined);
    for (const t of all) {
      await enqueueEmail(rt, {
        key: `policy:${body.effectiveOn}:${t.id}`,
        template: 'policy_change',
        language: t.owner?.preferredLanguage ?? 'en',
        to: t.owner?.email ?? '',
        tenantId: t.id,
        data: { effectiveOn: body.effectiveOn, summary: body.summary },
      });
    }
    await audit(rt, {
      tenantId: '_platform',
      action: 'staff.action',
      actor: principal,
      target: { type: 'policy-notice', id: body.effectiveOn },
      details: { action: 'policy_notice', notified: all.length, requiredByLaw: body.requiredByLaw },
    });
    return { status: 202, body: { notified: all.length } };
  },
});

/** Pure: the first day a policy change notified now may take effect (§16: 30 days' notice). */
export function earliestEffectiveDate(now: Date): string {
  return new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
}

export const noticeRoutes = [breachNoticeRoute, policyNoticeRoute];
