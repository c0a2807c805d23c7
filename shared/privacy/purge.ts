import { tenantRepositoryOf } from '../accounts/index.js';
import { audit, sweepAuditBefore } from '../audit/index.js';
import { sweepBillingBefore } from '../billing/index.js';
import { sweepWithdrawnProspects } from '../email/index.js';
import { sweepDedup } from '../platform/idempotency-repository.js';
import { log } from '../platform/log.js';
import type { Runtime } from '../platform/runtime.js';
import { purgeDeadLetters } from './dead-letter-erasure.js';
import { eraseKnowledgeBase, eraseTenant } from './erase.js';
import { PLATFORM_RETENTION, RETENTION } from './policy.js';
import type { PurgeReportDoc } from './privacy-documents.js';
import {
  cosmosPrivacyRecordsRepository,
  expiredExports,
  sweepExpiredExports,
  sweepPrivacyRecords,
} from './privacy-records-repository.js';

const DAY = 86_400_000;

export type PurgeReport = PurgeReportDoc;

function cutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY).toISOString();
}

/**
 * The daily retention purge: every rule of the policy table, applied on time. Batched, with
 * bounded delete concurrency and 429 backoff, idempotent and resumable, and able to dry-run
 * (count without deleting). Each run stores a report and writes an audit entry.
 */
export async function runRetentionPurge(
  rt: Runtime,
  options: { dryRun?: boolean; runId?: string; deadLetters?: boolean } = {},
): Promise<PurgeReport> {
  const dryRun = options.dryRun ?? false;
  const started = rt.clock.now();
  const runId = options.runId ?? started.toISOString();
  const counts: Record<string, number> = {};
  const add = (key: string, n: number) => {
    counts[key] = (counts[key] ?? 0) + n;
  };

  const tenants = tenantRepositoryOf(rt);
  // §9 Customer account data (and the conversation data of the account): 12 months after closure.
  for (const t of await tenants.closedBefore(cutoff(started, RETENTION.customerAccount?.days ?? 365))) {
    if (dryRun) add('closedAccounts', 1);
    else
      for (const [k, v] of Object.entries(
        await eraseTenant(rt, t.id, 'retention', { deadLetters: options.deadLetters }),
      ))
        add(k, v);
  }
  // §9 Knowledge Base content: 30 days after closure without a deletion request.
  for (const t of await tenants.closedBefore(cutoff(started, RETENTION.knowledgeBase?.days ?? 30), {
    knowledgeNotPurged: true,
  })) {
    if (dryRun) {
      add('knowledgeBases', 1);
      continue;
    }
    for (const [k, v] of Object.entries(await eraseKnowledgeBase(rt, t.id))) add(k, v);
    await tenants.markKnowledgePurged(t.id, started.toISOString());
  }
  // Each owner sweeps its own container by the policy's window.
  const cut = (window: keyof typeof RETENTION, fallbackDays: number) =>
    cutoff(started, RETENTION[window]?.days ?? fallbackDays);
  add('prospects', await sweepWithdrawnProspects(rt.cosmos, cut('marketingProspects', 30), dryRun));
  add('auditEntries', await sweepAuditBefore(rt.cosmos, cut('logs', 365), dryRun));
  add('billingRecords', await sweepBillingBefore(rt.cosmos, cut('billingRecords', 3650), dryRun));
  // Exports: when they expire, the file and the record.
  const now = started.toISOString();
  if (!dryRun)
    for (const e of await expiredExports(rt.cosmos, now))
      if (e.blobName) await rt.blob.container('exports').getBlobClient(e.blobName).deleteIfExists();
  add('exports', await sweepExpiredExports(rt.cosmos, now, dryRun));
  add('privacyRecords', await sweepPrivacyRecords(rt.cosmos, cut('privacyRecords', 365), dryRun));
  add(
    'dedup',
    await sweepDedup(
      rt.cosmos,
      {
        transient: cut('transient', 90),
        idempotency: cutoff(started, PLATFORM_RETENTION.idempotencyDays),
      },
      dryRun,
    ),
  );

  // Dead letters: Azure never expires them, so they are removed here after their own window.
  if (options.deadLetters !== false && !dryRun)
    add('deadLetters', await purgeDeadLetters(rt, RETENTION.deadLetters?.days ?? 14));

  const finished = rt.clock.now();
  const report: PurgeReport = {
    id: `purge_${runId.replace(/[^\w-]/g, '_')}`,
    type: 'purge-report',
    runId,
    dryRun,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    counts,
  };
  await cosmosPrivacyRecordsRepository(rt.cosmos).saveReport(report);
  await audit(rt, {
    tenantId: '_platform',
    action: 'privacy.purge',
    actor: { sub: 'retention-timer', role: 'system' },
    target: { type: 'purge-report', id: report.id },
    details: { dryRun, ...counts },
  });
  log.info('privacy.purge', { dryRun, counts, durationMs: report.durationMs });
  return report;
}
