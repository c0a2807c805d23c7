import { parseArgs } from 'node:util';
import { loadLocalSettings } from '../local/local-settings.js';
import { listBackups } from '../shared/operations/backup.js';
import { restoreBackup } from '../shared/operations/restore.js';
import { ArmRestoreTarget, LocalRestoreTarget } from '../shared/operations/restore-target.js';
import { BlobStore } from '../shared/platform/blob.js';
import { CosmosStore } from '../shared/platform/cosmos.js';
import { azureCredential } from '../shared/platform/identity.js';
import type { Runtime } from '../shared/platform/runtime.js';
import { LOCAL_PSEUDONYM_KEY } from '../shared/platform/settings.js';
import { tombstonesSince } from '../shared/privacy/tombstones.js';

/**
 * `npm run restore -- --backup <id> --database <new-database>` restores a backup into an empty
 * database and replays the deletion tombstones recorded since, read from the live database.
 * `npm run restore -- --list` lists backups. `--create-target` first creates the database and its
 * containers: in Azure through the control plane (AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP and
 * COSMOS_ACCOUNT name the account; the restore itself only writes documents), locally through the
 * embedded server. Endpoints come from the environment or local.settings.json.
 */
async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      backup: { type: 'string' },
      database: { type: 'string' },
      list: { type: 'boolean' },
      'create-target': { type: 'boolean' },
    },
  });
  // Run by tsx from scripts/, or compiled from dist/scripts/: settings live at the project root.
  const here = new URL('../', import.meta.url);
  const root = here.pathname.endsWith('/dist/') ? new URL('../', here) : here;
  const { values } = { values: { ...loadLocalSettings(root).values, ...definedEnv() } };
  const endpoint = values.COSMOS_ENDPOINT;
  if (!endpoint || (!values.BLOB_CONNECTION_STRING && !values.BLOB_ACCOUNT_URL)) {
    throw new Error(
      'Set COSMOS_ENDPOINT and BLOB_CONNECTION_STRING (or BLOB_ACCOUNT_URL) to the stores to restore from and into.',
    );
  }
  const blob = new BlobStore({
    connectionString: values.BLOB_CONNECTION_STRING || undefined,
    accountUrl: values.BLOB_ACCOUNT_URL || undefined,
  });
  if (args.list) {
    for (const id of await listBackups(blob)) process.stdout.write(`${id}\n`);
    return;
  }
  if (!args.backup || !args.database)
    throw new Error('Usage: npm run restore -- --backup <id> --database <new-database>');
  const live = new CosmosStore({
    endpoint,
    key: values.COSMOS_KEY || undefined,
    database: values.COSMOS_DATABASE || 'aliat',
  });
  const target = new CosmosStore({ endpoint, key: values.COSMOS_KEY || undefined, database: args.database });
  if (args['create-target']) {
    process.stdout.write(`Creating database ${args.database} and its containers…\n`);
    if (values.COSMOS_KEY) await new LocalRestoreTarget(endpoint, values.COSMOS_KEY).create(args.database);
    else {
      const {
        AZURE_SUBSCRIPTION_ID: subscriptionId,
        AZURE_RESOURCE_GROUP: resourceGroup,
        COSMOS_ACCOUNT: accountName,
      } = process.env;
      if (!subscriptionId || !resourceGroup || !accountName)
        throw new Error(
          '--create-target in Azure needs AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP and COSMOS_ACCOUNT.',
        );
      await new ArmRestoreTarget({ subscriptionId, resourceGroup, accountName, credential: azureCredential() }).create(
        args.database,
      );
    }
  }
  process.stdout.write(`Restoring ${args.backup} into ${args.database} (documents only)…\n`);
  const createdAt = new Date(args.backup.replace(/T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, 'T$1:$2:$3.$4Z'));
  const tombstones = await tombstonesSince(
    { cosmos: live } as Runtime,
    Number.isNaN(createdAt.getTime()) ? new Date(0) : createdAt,
  ).catch(() => []);
  const report = await restoreBackup(target, blob, args.backup, tombstones, {
    settings: { PSEUDONYM_KEY: values.PSEUDONYM_KEY || LOCAL_PSEUDONYM_KEY },
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  live.dispose();
  target.dispose();
}

/** Environment values that are set, so they override local.settings.json. */
function definedEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
