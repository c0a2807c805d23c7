import { readFileSync } from 'node:fs';
import { LocalHost } from '../local/host.js';
import { createBackup } from '../shared/operations/backup.js';
import { restoreBackup } from '../shared/operations/restore.js';
import { LocalRestoreTarget } from '../shared/operations/restore-target.js';
import { CosmosStore } from '../shared/platform/cosmos.js';
import { type Figure, round } from './figures.js';

function exampleValues(): Record<string, string> {
  return (
    JSON.parse(readFileSync(new URL('../../local.settings.example.json', import.meta.url), 'utf8')) as {
      Values: Record<string, string>;
    }
  ).Values;
}

/**
 * Backup and restore throughput (10,000 documents by default: at 100,000 the embedded Cosmos server did not finish
 * within 7 minutes; BACKUP_BENCH_DOCS sets it), against writing the same documents in the first place.
 */
export async function run(): Promise<Figure[]> {
  const n = Number(process.env.BACKUP_BENCH_DOCS ?? 10_000);
  const host = await LocalHost.start({ port: 0, values: exampleValues(), drainQueues: false });
  const messages = host.runtime.cosmos.container('messages');
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < n) {
        const i = next++;
        await messages.items.create({
          id: `m${i}`,
          tenantId: `tn_${i % 200}`,
          type: 'message',
          conversationId: `cv_${i % 5000}`,
          direction: 'in',
          text: 'Bună ziua, aveți loc sâmbătă dimineață pentru un tuns?',
          timestamp: i,
          status: 'received',
        });
      }
    }),
  );
  const seedSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const manifest = await createBackup(host.runtime.cosmos, host.runtime.blob, new Date());
  const backupSeconds = (performance.now() - t1) / 1000;
  const target = new CosmosStore({
    endpoint: host.runtime.settings.COSMOS_ENDPOINT,
    key: host.runtime.settings.COSMOS_KEY,
    database: 'restore-bench',
  });
  await new LocalRestoreTarget(
    host.runtime.settings.COSMOS_ENDPOINT,
    host.runtime.settings.COSMOS_KEY as string,
  ).create('restore-bench');
  const t2 = performance.now();
  await restoreBackup(target, host.runtime.blob, manifest.backupId, [], { settings: host.runtime.settings });
  const restoreSeconds = (performance.now() - t2) / 1000;
  target.dispose();
  await host.stop();
  const baseline = { name: 'writing the same documents (16 in flight)', value: round(n / seedSeconds, 0) };
  return [
    {
      name: `backup of ${n} documents (read, gzip NDJSON, upload)`,
      value: round(n / backupSeconds, 0),
      unit: 'docs/s',
      baseline,
      ratio: round(seedSeconds / backupSeconds, 3),
    },
    {
      name: `restore of ${n} documents (verify, write, replay tombstones)`,
      value: round(n / restoreSeconds, 0),
      unit: 'docs/s',
      baseline,
      ratio: round(seedSeconds / restoreSeconds, 3),
    },
  ];
}
