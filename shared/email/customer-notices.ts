import { randomUUID } from 'node:crypto';
import type { TenantDoc, TenantRepository } from '../accounts/index.js';
import type { AuditPort } from '../audit/index.js';
import { InvalidInputError } from '../platform/domain-errors.js';
import type { Principal } from '../platform/principal.js';
import type { Clock } from '../platform/runtime.js';
import type { EmailJob } from './outbox.js';

/** §10: customers hear of a breach within 48 hours of our becoming aware of it. */
const BREACH_NOTICE_HOURS = 48;

/** A breach and when each customer was notified, against the 48-hour promise. */
export interface BreachNoticeDoc {
  id: string;
  type: 'breach-notice';
  knownAt: string;
  deadline: string;
  notifications: Array<{ tenantId: string; notifiedAt: string }>;
  createdAt: string;
}

export interface NoticeDeps {
  tenants: Pick<TenantRepository, 'listNotDeleting'>;
  sendEmail: (job: EmailJob) => Promise<void>;
  audit: AuditPort;
  clock: Clock;
  /** Keeps the record of a breach notice (the privacy slice's container). */
  recordBreachNotice: (doc: BreachNoticeDoc) => Promise<void>;
}

type Staff = Pick<Principal, 'sub' | 'role'>;

/** Customers with an owner to write to, all or those named. */
async function owners(deps: Pick<NoticeDeps, 'tenants'>, tenantIds: string[] | undefined): Promise<TenantDoc[]> {
  return (await deps.tenants.listNotDeleting()).filter((t) => t.owner && (!tenantIds || tenantIds.includes(t.id)));
}

/** Tells the affected customers of a personal data breach and records when each was told. */
export async function sendBreachNotice(
  deps: NoticeDeps,
  staff: Staff,
  input: { knownAt: string; description: string; measures: string; tenantIds?: string[] },
): Promise<{ noticeId: string; notified: number; deadline: string; withinDeadline: boolean }> {
  const now = deps.clock.now();
  const deadline = new Date(Date.parse(input.knownAt) + BREACH_NOTICE_HOURS * 3_600_000);
  const noticeId = `bn_${randomUUID().replace(/-/g, '')}`;
  const notifications: BreachNoticeDoc['notifications'] = [];
  for (const t of await owners(deps, input.tenantIds)) {
    await deps.sendEmail({
      key: `breach:${noticeId}:${t.id}`,
      template: 'breach_notice',
      language: t.owner?.preferredLanguage ?? 'en',
      to: t.owner?.email ?? '',
      tenantId: t.id,
      data: {
        company: t.companyName,
        knownAt: input.knownAt.slice(0, 16).replace('T', ' '),
        description: input.description,
        measures: input.measures,
      },
    });
    notifications.push({ tenantId: t.id, notifiedAt: now.toISOString() });
  }
  const doc: BreachNoticeDoc = {
    id: noticeId,
    type: 'breach-notice',
    knownAt: input.knownAt,
    deadline: deadline.toISOString(),
    notifications,
    createdAt: now.toISOString(),
  };
  await deps.recordBreachNotice(doc);
  await deps.audit({
    tenantId: '_platform',
    action: 'staff.action',
    actor: staff,
    target: { type: 'breach-notice', id: noticeId },
    details: { action: 'breach_notice', notified: notifications.length },
  });
  return { noticeId, notified: notifications.length, deadline: doc.deadline, withinDeadline: now <= deadline };
}

/** Pure: the first day a policy change notified now may take effect (§16: 30 days' notice). */
function earliestEffectiveDate(now: Date): string {
  return new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
}

/** Tells every customer about a change to the privacy policy, at least 30 days ahead unless the law requires it. */
export async function sendPolicyNotice(
  deps: Omit<NoticeDeps, 'recordBreachNotice'>,
  staff: Staff,
  input: { effectiveOn: string; summary: string; requiredByLaw: boolean },
): Promise<{ notified: number }> {
  const earliest = earliestEffectiveDate(deps.clock.now());
  if (!input.requiredByLaw && input.effectiveOn < earliest)
    throw new InvalidInputError(
      `§16 promises at least 30 days' notice: the change can take effect on ${earliest} at the earliest (or set requiredByLaw for a change the law requires sooner).`,
      [{ field: 'effectiveOn', message: `must be on or after ${earliest}` }],
    );
  const all = await owners(deps, undefined);
  for (const t of all)
    await deps.sendEmail({
      key: `policy:${input.effectiveOn}:${t.id}`,
      template: 'policy_change',
      language: t.owner?.preferredLanguage ?? 'en',
      to: t.owner?.email ?? '',
      tenantId: t.id,
      data: { effectiveOn: input.effectiveOn, summary: input.summary },
    });
  await deps.audit({
    tenantId: '_platform',
    action: 'staff.action',
    actor: staff,
    target: { type: 'policy-notice', id: input.effectiveOn },
    details: { action: 'policy_notice', notified: all.length, requiredByLaw: input.requiredByLaw },
  });
  return { notified: all.length };
}
