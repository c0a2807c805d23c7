import { parseArgs } from 'node:util';
import { loadLocalSettings } from '../local/local-settings.js';
import { BlobStore } from '../shared/platform/blob.js';
import { CosmosStore } from '../shared/platform/cosmos.js';
import { listBackups } from '../shared/operations/backup.js';
import { restoreBackup } from '../shared/operations/restore.js';
import { tombstonesSince } from '../shared/privacy/tombstones.js';
import type { Runtime } from '../shared/platform/runtime.js';
import { LOCAL_PSEUDONYM_KEY } from '../shared/platform/settings.js';

/**
 * `npm run restore -- --backup <id> --database <new-database>` restores a backup into an empty
 * database and replays the deletion tombstones recorded since, read from the live database.
 * `npm run restore -- --list` lists backups. Endpoints come from the environment or local.settings.json.
 */
async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { backup: { type: 'string' }, database: { type: 'string' }, list: { type: 'boolean' } } });
  const root = new URL('../../', import.meta.url);
  const { values } = loadLocalSettings(root);
  const endpoint = values.COSMOS_ENDPOINT;
  if (!endpoint || (!values.BLOB_CONNECTION_STRING && !values.BLOB_ACCOUNT_URL)) {
    throw new Error('Set COSMOS_ENDPOINT and BLOB_CONNECTION_STRING (or BLOB_ACCOUNT_URL) to the stores to restore from and into.');
  }
  const blob = new BlobStore({ connectionString: values.BLOB_CONNECTION_STRING || undefined, accountUrl: values.BLOB_ACCOUNT_URL || undefined });
  if (args.list) {
    for (const id of await listBackups(blob)) process.stdout.write(`${id}\n`);
    return;
  }
  if (!args.backup || !args.database) throw new Error('Usage: npm run restore -- --backup <id> --database <new-database>');
  const live = new CosmosStore({ endpoint, key: values.COSMOS_KEY || undefined, database: values.COSMOS_DATABASE || 'aliat' });
  const target = new CosmosStore({ endpoint, key: values.COSMOS_KEY || undefined, database: args.database });
  const createdAt = new Date(args.backup.replace(/T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, 'T$1:$2:$3.$4Z'));
  const tombstones = await tombstonesSince({ cosmos: live } as Runtime, Number.isNaN(createdAt.getTime()) ? new Date(0) : createdAt).catch(() => []);
  const report = await restoreBackup(target, blob, args.backup, tombstones, { settings: { PSEUDONYM_KEY: values.PSEUDONYM_KEY || LOCAL_PSEUDONYM_KEY } });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  live.dispose();
  target.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
