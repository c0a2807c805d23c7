import { readFileSync } from 'node:fs';
import type { Container } from '@azure/cosmos';
import { LocalHost } from '../local/host.js';
import { deleteItems } from '../shared/platform/delete-items.js';
import { runRetentionPurge } from '../shared/privacy/purge.js';
import { type Figure, round } from './figures.js';

function exampleValues(): Record<string, string> {
  return (
    JSON.parse(readFileSync(new URL('../../local.settings.example.json', import.meta.url), 'utf8')) as {
      Values: Record<string, string>;
    }
  ).Values;
}

async function seedExpired(audit: Container, n: number, tenants: number): Promise<Array<{ id: string; pk: string }>> {
  const old = new Date(Date.now() - 400 * 86_400_000).toISOString();
  const ids = Array.from({ length: n }, (_, i) => ({ id: `au_bench_${i}`, pk: `tn_bench_${i % tenants}` }));
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < ids.length) {
        const d = ids[next++] as { id: string; pk: string };
        await audit.items.create({
          id: d.id,
          tenantId: d.pk,
          type: 'audit',
          at: old,
          action: 'settings.update',
          actor: { sub: 'x', role: 'owner' },
        });
      }
    }),
  );
  return ids;
}

/**
 * Purge throughput against a plain bulk delete of the same expired documents, at two sizes (3,000 and 10,000 by
 * default: at 30,000 and more, the embedded Cosmos server slows down sharply and single queries time out at 100,000;
 * PURGE_BENCH_SIZES sets them).
 */
export async function run(): Promise<Figure[]> {
  const sizes = (process.env.PURGE_BENCH_SIZES ?? '3000,10000').split(',').map(Number);
  const host = await LocalHost.start({ port: 0, values: exampleValues(), drainQueues: false });
  const audit = host.runtime.cosmos.container('audit');
  const figures: Figure[] = [];
  const rates: number[] = [];
  for (const n of sizes) {
    const ids = await seedExpired(audit, n, 100);
    let t0 = performance.now();
    await deleteItems(audit, ids, 16);
    const bulkSeconds = (performance.now() - t0) / 1000;
    await seedExpired(audit, n, 100);
    t0 = performance.now();
    const report = await runRetentionPurge(host.runtime, { runId: `bench-${n}` });
    const purgeSeconds = (performance.now() - t0) / 1000;
    if ((report.counts.auditEntries ?? 0) < n) throw new Error(`purge deleted ${report.counts.auditEntries} of ${n}`);
    rates.push(n / purgeSeconds);
    figures.push({
      name: `retention purge of ${n} expired documents`,
      value: round(n / purgeSeconds, 0),
      unit: 'docs/s',
      baseline: { name: 'plain bulk delete, same documents', value: round(n / bulkSeconds, 0) },
      ratio: round(bulkSeconds / purgeSeconds, 3),
      target: 'ratio >= 0.8',
    });
  }
  if (rates.length === 2) {
    figures.push({
      name: `purge throughput at ${sizes[1]} relative to ${sizes[0]} (1.0 = linear scaling)`,
      value: round((rates[1] as number) / (rates[0] as number), 3),
      unit: 'x',
      baseline: null,
    });
  }
  await host.stop();
  return figures;
}
