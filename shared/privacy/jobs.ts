import { createHash } from 'node:crypto';
import { z } from 'zod';
import { getTenant } from '../accounts/tenants.js';
import { audit } from '../audit/audit.js';
import { enqueueEmail } from '../email/outbox.js';
import { log } from '../platform/log.js';
import type { Runtime } from '../platform/runtime.js';
import { eraseEndUser, eraseTenant } from './erase.js';
import { buildEndUserExport, buildTenantExport, exportLink, getExport, storeExport } from './exports.js';
import { completeDeletionRequest, createDeletionRequest, getDeletionRequest } from './requests.js';
import { subjectRef } from './tombstones.js';

/** Privacy work on the privacy-jobs queue. */
export const privacyJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('account-deletion'), tenantId: z.string().min(1), requestedAt: z.string() }),
  z.object({ kind: z.literal('end-user-deletion'), code: z.string().min(1), platformUserId: z.string().min(1), tenantId: z.string().optional(), confirmTo: z.email().optional(), language: z.enum(['en', 'ro']).default('en') }),
  z.object({ kind: z.literal('export'), exportId: z.string().min(1), scope: z.enum(['tenant', 'end-user']), subjectId: z.string().min(1), notifyTo: z.email(), language: z.enum(['en', 'ro']).default('en') }),
]);
export type PrivacyJob = z.input<typeof privacyJobSchema>;

const fmt = (iso: string) => iso.slice(0, 10);

/**
 * §12.1: a verified account deletion, done at once rather than waiting for the timer. The owner
 * hears "scheduled" and then "completed"; the receipt lists categories, counts and times only.
 * Every step is idempotent, so a redelivery resumes where a crash stopped.
 */
async function deleteAccount(r: Runtime, job: { tenantId: string; requestedAt: string }): Promise<void> {
  const ref = subjectRef(r, 'tenant', job.tenantId);
  // Derived from the tenant, so a redelivered job finds the request it started.
  const code = createHash('sha256').update(`account-deletion|${job.tenantId}`).digest('hex').slice(0, 32);
  const request = (await getDeletionRequest(r, code)) ?? (await createDeletionRequest(r, 'account', ref, code));
  if (request.status === 'completed') return;
  const tenant = await getTenant(r, job.tenantId);
  const owner = tenant?.owner;
  const company = tenant?.companyName ?? 'your business';
  if (owner) {
    await enqueueEmail(r, { key: `deletion-scheduled:${ref}`, template: 'deletion_scheduled', language: owner.preferredLanguage, to: owner.email, data: { company, completeBy: fmt(request.dueBy) } });
  }
  const counts = await eraseTenant(r, job.tenantId);
  await completeDeletionRequest(r, code, counts);
  if (owner) {
    await enqueueEmail(r, { key: `deletion-completed:${ref}`, template: 'deletion_completed', language: owner.preferredLanguage, to: owner.email, data: { company, completedAt: fmt(r.clock.now().toISOString()), receipt: code } });
  }
  log.info('privacy.account_deleted', { counts });
}

async function deleteEndUser(r: Runtime, job: { code: string; platformUserId: string; tenantId?: string; confirmTo?: string; language: 'en' | 'ro' }): Promise<void> {
  const request = await getDeletionRequest(r, job.code);
  if (!request || request.status === 'completed') return;
  const counts = await eraseEndUser(r, job.platformUserId, job.tenantId);
  await completeDeletionRequest(r, job.code, counts);
  if (job.confirmTo) {
    const records = Object.values(counts).reduce((a, b) => a + b, 0);
    await enqueueEmail(r, { key: `end-user-deletion:${job.code}`, template: 'end_user_deletion_confirmation', language: job.language, to: job.confirmTo, data: { records, completedAt: fmt(r.clock.now().toISOString()), receipt: job.code } });
  }
  if (job.tenantId) await audit(r, { tenantId: job.tenantId, action: 'privacy.deletion', actor: { sub: 'privacy-engine', role: 'system' }, details: counts });
  log.info('privacy.end_user_deleted', { counts });
}

async function makeExport(r: Runtime, job: { exportId: string; scope: 'tenant' | 'end-user'; subjectId: string; notifyTo: string; language: 'en' | 'ro' }): Promise<void> {
  const doc = await getExport(r, job.exportId);
  if (!doc) return;
  const ready =
    doc.status === 'ready'
      ? doc
      : await storeExport(r, doc, job.scope === 'tenant' ? job.subjectId : '_end-users', job.scope === 'tenant' ? await buildTenantExport(r, job.subjectId) : await buildEndUserExport(r, job.subjectId));
  const link = await exportLink(r, ready);
  await enqueueEmail(r, { key: `export-ready:${ready.id}`, template: 'export_ready', language: job.language, to: job.notifyTo, data: { link: link.url, expiresAt: link.expiresOn.toISOString().replace('T', ' ').slice(0, 16) } });
  if (job.scope === 'tenant') await audit(r, { tenantId: job.subjectId, action: 'tenant.export', actor: { sub: 'privacy-engine', role: 'system' }, target: { type: 'export', id: ready.id } });
}

export async function runPrivacyJob(r: Runtime, job: z.infer<typeof privacyJobSchema>): Promise<void> {
  if (job.kind === 'account-deletion') return deleteAccount(r, job);
  if (job.kind === 'end-user-deletion') return deleteEndUser(r, job);
  return makeExport(r, job);
}
