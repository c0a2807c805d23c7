import type { Container } from '@azure/cosmos';
import type { TenantDoc } from '../accounts/index.js';
import { audit } from '../audit/index.js';
import { deleteItems } from '../platform/delete-items.js';
import { log } from '../platform/log.js';
import type { Runtime } from '../platform/runtime.js';
import { purgeDeadLetters } from './dead-letter-erasure.js';
import { eraseKnowledgeBase, eraseTenant } from './erase.js';
import { PLATFORM_RETENTION, RETENTION } from './policy.js';

const DAY = 86_400_000;
/** Documents fetched and deleted per batch. */
const BATCH = 1000;

export interface PurgeReport {
  id: string;
  type: 'purge-report';
  runId: string;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  counts: Record<string, number>;
}

function cutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY).toISOString();
}

/**
 * Deletes every document a query finds: one paged pass collects the ids (ids only, so memory stays
 * small), then deletes run in batches with bounded concurrency. A run that crashes resumes by
 * simply running again: what is left still matches, what is gone is gone.
 */
async function purgeQuery(
  container: Container,
  query: string,
  parameters: Array<{ name: string; value: string }>,
  pkField: string,
  dryRun: boolean,
): Promise<number> {
  if (dryRun) {
    const { resources: count } = await container.items
      .query<number>({ query: `SELECT VALUE COUNT(1) FROM c WHERE ${query}`, parameters })
      .fetchAll();
    return count[0] ?? 0;
  }
  const ids: Array<{ id: string; pk: string }> = [];
  const pages = container.items.query<{ id: string; pk: string }>(
    { query: `SELECT c.id, c${pkField} AS pk FROM c WHERE ${query}`, parameters },
    { maxItemCount: BATCH },
  );
  while (pages.hasMoreResults()) ids.push(...(await pages.fetchNext()).resources);
  let total = 0;
  for (let i = 0; i < ids.length; i += BATCH) total += await deleteItems(container, ids.slice(i, i + BATCH));
  return total;
}

async function closedTenants(rt: Runtime, closedBefore: string, extra = ''): Promise<TenantDoc[]> {
  const { resources } = await rt.cosmos
    .container('tenants')
    .items.query<TenantDoc>({
      query: `SELECT * FROM c WHERE c.type = 'tenant' AND c.status = 'closed' AND c.closedAt < @before ${extra}`,
      parameters: [{ name: '@before', value: closedBefore }],
    })
    .fetchAll();
  return resources;
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

  // §9 Customer account data (and the conversation data of the account): 12 months after closure.
  for (const t of await closedTenants(rt, cutoff(started, RETENTION.customerAccount?.days ?? 365))) {
    if (dryRun) add('closedAccounts', 1);
    else
      for (const [k, v] of Object.entries(
        await eraseTenant(rt, t.id, 'retention', { deadLetters: options.deadLetters }),
      ))
        add(k, v);
  }
  // §9 Knowledge Base content: 30 days after closure without a deletion request.
  for (const t of await closedTenants(
    rt,
    cutoff(started, RETENTION.knowledgeBase?.days ?? 30),
    'AND NOT IS_DEFINED(c.kbPurgedAt)',
  )) {
    if (dryRun) {
      add('knowledgeBases', 1);
      continue;
    }
    for (const [k, v] of Object.entries(await eraseKnowledgeBase(rt, t.id))) add(k, v);
    await rt.cosmos
      .container('tenants')
      .item(t.id, t.id)
      .patch([{ op: 'set', path: '/kbPurgedAt', value: started.toISOString() }]);
  }
  const p = (name: string, value: string) => [{ name, value }];
  // §9 Marketing: prospects 30 days after consent is withdrawn.
  add(
    'prospects',
    await purgeQuery(
      rt.cosmos.container('marketing'),
      "c.type = 'prospect' AND IS_DEFINED(c.withdrawnAt) AND c.withdrawnAt < @cut",
      p('@cut', cutoff(started, RETENTION.marketingProspects?.days ?? 30)),
      '.id',
      dryRun,
    ),
  );
  // §9 Logs: audit and security logs after 12 months.
  add(
    'auditEntries',
    await purgeQuery(
      rt.cosmos.container('audit'),
      "c.type = 'audit' AND c.at < @cut",
      p('@cut', cutoff(started, RETENTION.logs?.days ?? 365)),
      '.tenantId',
      dryRun,
    ),
  );
  // §9 Billing and tax records: 10 years.
  add(
    'billingRecords',
    await purgeQuery(
      rt.cosmos.container('billing'),
      'c.createdAt < @cut',
      p('@cut', cutoff(started, RETENTION.billingRecords?.days ?? 3650)),
      '.tenantId',
      dryRun,
    ),
  );
  // Exports: when they expire, the file and the record.
  const expired = await rt.cosmos
    .container('privacy')
    .items.query<{ id: string; blobName?: string }>({
      query: "SELECT c.id, c.blobName FROM c WHERE c.type = 'export' AND c.expiresAt < @now",
      parameters: p('@now', started.toISOString()),
    })
    .fetchAll();
  if (!dryRun)
    for (const e of expired.resources)
      if (e.blobName)
        await rt.blob
          .container('exports')
          .deleteBlob(e.blobName)
          .catch(() => undefined);
  add(
    'exports',
    await purgeQuery(
      rt.cosmos.container('privacy'),
      "c.type = 'export' AND c.expiresAt < @now",
      p('@now', started.toISOString()),
      '.id',
      dryRun,
    ),
  );
  // §9 Logs: receipts, tombstones and reports after 12 months.
  add(
    'privacyRecords',
    await purgeQuery(
      rt.cosmos.container('privacy'),
      "c.type IN ('tombstone', 'purge-report') AND (c.erasedAt < @cut OR c.startedAt < @cut)",
      p('@cut', cutoff(started, RETENTION.privacyRecords?.days ?? 365)),
      '.id',
      dryRun,
    ),
  );
  add(
    'privacyRecords',
    await purgeQuery(
      rt.cosmos.container('privacy'),
      "c.type = 'deletion-request' AND c.status = 'completed' AND c.completedAt < @cut",
      p('@cut', cutoff(started, RETENTION.privacyRecords?.days ?? 365)),
      '.id',
      dryRun,
    ),
  );
  // Requests that never completed (a job that kept failing is alerted on long before) and breach
  // notices (tenant ids and times) follow the same 12 months.
  add(
    'privacyRecords',
    await purgeQuery(
      rt.cosmos.container('privacy'),
      "c.type = 'deletion-request' AND c.status = 'pending' AND c.requestedAt < @cut",
      p('@cut', cutoff(started, RETENTION.privacyRecords?.days ?? 365)),
      '.id',
      dryRun,
    ),
  );
  add(
    'privacyRecords',
    await purgeQuery(
      rt.cosmos.container('privacy'),
      "c.type = 'breach-notice' AND c.createdAt < @cut",
      p('@cut', cutoff(started, RETENTION.privacyRecords?.days ?? 365)),
      '.id',
      dryRun,
    ),
  );
  // Idempotency records: the embedded Cosmos server has no TTL, and Azure's TTL is best effort, so expire them here too.
  add(
    'dedup',
    await purgeQuery(
      rt.cosmos.container('dedup'),
      '(c.sentAt < @cut OR c.processedAt < @cut OR c.at < @cut)',
      p('@cut', cutoff(started, RETENTION.transient?.days ?? 90)),
      '.id',
      dryRun,
    ),
  );
  add(
    'dedup',
    await purgeQuery(
      rt.cosmos.container('dedup'),
      "c.type = 'idempotency' AND c.createdAt < @cut",
      p('@cut', cutoff(started, PLATFORM_RETENTION.idempotencyDays)),
      '.id',
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
  await rt.cosmos.container('privacy').items.upsert(report);
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
