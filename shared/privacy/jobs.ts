import { z } from 'zod';
import { getTenant } from '../accounts/index.js';
import { audit } from '../audit/index.js';
import { enqueueEmail } from '../email/index.js';
import { log } from '../platform/log.js';
import { QUEUES, type QueueInput, type QueueMessage, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { tenantGroup } from '../realtime/index.js';
import { eraseEndUser, eraseTenant } from './erase.js';
import { buildEndUserExport, buildTenantExport, exportLink, getExport, storeExport } from './exports.js';
import { matchAppScopedId } from './meta-matching.js';
import { cosmosPrivacyRecordsRepository } from './privacy-records-repository.js';
import {
  completeDeletionRequest,
  createDeletionRequest,
  derivedConfirmationCode,
  getDeletionRequest,
} from './requests.js';
import { subjectRef } from './tombstones.js';

/** Privacy work on the privacy-jobs queue. */
export type PrivacyJob = QueueInput<typeof QUEUES.privacyJobs>;

/**
 * Where an export's link may be mailed; the routes check the same rule, so a failure here means a message we did not
 * write.
 */
export const notifyAddress = z.email().max(254);

const fmt = (iso: string) => iso.slice(0, 10);

/**
 * §12.1: a verified account deletion, done at once rather than waiting for the timer. The owner
 * hears "scheduled" and then "completed"; the receipt lists categories, counts and times only.
 * Every step is idempotent, so a redelivery resumes where a crash stopped.
 */
async function deleteAccount(rt: Runtime, job: { tenantId: string; requestedAt: string }): Promise<void> {
  const ref = subjectRef(rt, 'tenant', job.tenantId);
  // Keyed: anyone may know a tenant id, and the receipt's status is on a public route.
  const code = derivedConfirmationCode(rt, 'account-deletion', job.tenantId);
  const request = (await getDeletionRequest(rt, code)) ?? (await createDeletionRequest(rt, 'account', ref, code));
  if (request.status === 'completed') return;
  const tenant = await getTenant(rt, job.tenantId);
  // A live inbox left open would go on listening to the tenant's group while its data is erased.
  await rt.realtime.closeGroup(tenantGroup(job.tenantId), 'account deleted');
  const owner = tenant?.owner;
  const company = tenant?.companyName ?? 'your business';
  if (owner) {
    await enqueueEmail(rt, {
      key: `deletion-scheduled:${ref}`,
      template: 'deletion_scheduled',
      language: owner.preferredLanguage,
      to: owner.email,
      data: { company, completeBy: fmt(request.dueBy) },
    });
  }
  const counts = await eraseTenant(rt, job.tenantId);
  // Before completing, so that a crash here resumes and still schedules it.
  const delay = rt.settings.ACCOUNT_SWEEP_DELAY_MS;
  await sendToQueue(
    rt.bus,
    QUEUES.privacyJobs,
    { kind: 'account-sweep', tenantId: job.tenantId },
    delay > 0 ? { scheduledAt: new Date(rt.clock.now().getTime() + delay) } : {},
  );
  await completeDeletionRequest(rt, code, counts);
  if (owner) {
    await enqueueEmail(rt, {
      key: `deletion-completed:${ref}`,
      template: 'deletion_completed',
      language: owner.preferredLanguage,
      to: owner.email,
      data: { company, completedAt: fmt(rt.clock.now().toISOString()), receipt: code },
    });
  }
  log.info('privacy.account_deleted', { counts });
}

/**
 * §12.1: the second pass over an erased account. Whatever a request or job that had read the account as live wrote
 * after the first pass is erased too; a live account is never touched.
 */
async function sweepAccount(rt: Runtime, job: { tenantId: string }): Promise<void> {
  const tenant = await getTenant(rt, job.tenantId);
  if (tenant && tenant.status !== 'deleting') return;
  const counts = await eraseTenant(rt, job.tenantId);
  const late = Object.values(counts).reduce((a, b) => a + b, 0);
  if (late > 0) log.warn('privacy.account_swept', { counts });
}

/**
 * §12.2 and §12.3: erases a person everywhere (or in one tenant), their exports included, and only
 * then confirms, counting what was really deleted. Meta's app-scoped ids go through ID Matching
 * first, and what matched is recorded (numbers only).
 */
async function deleteEndUser(
  rt: Runtime,
  job: {
    code: string;
    platformUserId: string;
    appScoped?: boolean | undefined;
    tenantId?: string | undefined;
    confirmTo?: string | undefined;
    language: 'en' | 'ro';
  },
): Promise<void> {
  const request = await getDeletionRequest(rt, job.code);
  if (!request || request.status === 'completed') return;
  const match = job.appScoped ? await matchAppScopedId(rt, job.platformUserId) : undefined;
  const counts: Record<string, number> = {};
  for (const id of match?.ids ?? [job.platformUserId]) {
    for (const [k, v] of Object.entries(
      await eraseEndUser(rt, id, job.tenantId, job.appScoped ? 'meta-callback' : 'end-user'),
    ))
      counts[k] = (counts[k] ?? 0) + v;
  }
  const matched = match
    ? { pagesChecked: match.pagesChecked, pageScopedIds: match.pageScopedIds, ids: match.ids.length }
    : undefined;
  await completeDeletionRequest(rt, job.code, counts, matched);
  const records = Object.values(counts).reduce((a, b) => a + b, 0);
  if (job.confirmTo) {
    await enqueueEmail(rt, {
      key: `end-user-deletion:${job.code}`,
      template: 'end_user_deletion_confirmation',
      language: job.language,
      to: job.confirmTo,
      data: { records, completedAt: fmt(rt.clock.now().toISOString()), receipt: job.code },
    });
  }
  await audit(rt, {
    tenantId: job.tenantId ?? '_platform',
    action: 'privacy.deletion',
    actor: { sub: job.appScoped ? 'meta-callback' : 'privacy-engine', role: 'system' },
    target: { type: 'deletion-request', id: job.code },
    details: {
      ...counts,
      result: records > 0 ? 'deleted' : 'no_data_found',
      ...(matched ? { pagesChecked: matched.pagesChecked, pageScopedIds: matched.pageScopedIds } : {}),
    },
  });
  log.info('privacy.end_user_deleted', { counts, matched });
}

async function makeExport(
  rt: Runtime,
  job: { exportId: string; scope: 'tenant' | 'end-user'; subjectId: string; notifyTo: string; language: 'en' | 'ro' },
): Promise<void> {
  const doc = await getExport(rt, job.exportId);
  if (!doc || doc.status === 'failed') return;
  if (!notifyAddress.safeParse(job.notifyTo).success) {
    await cosmosPrivacyRecordsRepository(rt.cosmos).saveExport({
      ...doc,
      status: 'failed',
      failureReason: 'The address to send the download link to is not a valid e-mail address; request a new export.',
    });
    log.warn('privacy.export_failed', { reason: 'invalid_notify_to' });
    return;
  }
  const ready =
    doc.status === 'ready'
      ? doc
      : await storeExport(
          rt,
          doc,
          job.scope === 'tenant' ? job.subjectId : '_end-users',
          job.scope === 'tenant'
            ? await buildTenantExport(rt, job.subjectId)
            : await buildEndUserExport(rt, job.subjectId),
        );
  const link = await exportLink(rt, ready);
  await enqueueEmail(rt, {
    key: `export-ready:${ready.id}`,
    template: 'export_ready',
    language: job.language,
    to: job.notifyTo,
    data: { link: link.url, expiresAt: link.expiresOn.toISOString().replace('T', ' ').slice(0, 16) },
  });
  if (job.scope === 'tenant')
    await audit(rt, {
      tenantId: job.subjectId,
      action: 'tenant.export',
      actor: { sub: 'privacy-engine', role: 'system' },
      target: { type: 'export', id: ready.id },
    });
}

export async function runPrivacyJob(rt: Runtime, job: QueueMessage<typeof QUEUES.privacyJobs>): Promise<void> {
  if (job.kind === 'account-deletion') return deleteAccount(rt, job);
  if (job.kind === 'account-sweep') return sweepAccount(rt, job);
  if (job.kind === 'end-user-deletion') return deleteEndUser(rt, job);
  return makeExport(rt, job);
}
