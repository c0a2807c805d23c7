import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { BlobStore } from '../platform/blob.js';
import { containerDefinitions } from '../platform/containers.js';
import type { CosmosStore } from '../platform/cosmos.js';
import { log } from '../platform/log.js';

/** Containers not worth backing up: short-lived idempotency records. */
export const NOT_BACKED_UP = new Set(['dedup']);

export interface BackupManifest {
  format: 'aliat.backup.v1';
  backupId: string;
  createdAt: string;
  database: string;
  containers: Record<string, { blob: string; count: number; sha256: string; bytes: number }>;
}

const SYSTEM_FIELDS = ['_rid', '_self', '_etag', '_attachments', '_ts'];

function clean(doc: Record<string, unknown>): Record<string, unknown> {
  const out = { ...doc };
  for (const f of SYSTEM_FIELDS) delete out[f];
  return out;
}

/** Stable order, so a backup's checksum depends on its content only. */
function byId(a: { id?: unknown }, b: { id?: unknown }): number {
  return String(a.id).localeCompare(String(b.id));
}

/**
 * Exports every container except short-lived dedup records to Blob Storage as gzip-compressed NDJSON,
 * one blob per container, with a manifest of counts and SHA-256 checksums (§10 "Backups with
 * encryption": Storage encrypts at rest; §9 "Backups: up to 90 days": a lifecycle rule deletes them).
 */
export async function createBackup(cosmos: CosmosStore, blob: BlobStore, now: Date): Promise<BackupManifest> {
  const backupId = now.toISOString().replace(/[:.]/g, '-');
  const manifest: BackupManifest = {
    format: 'aliat.backup.v1',
    backupId,
    createdAt: now.toISOString(),
    database: cosmos.options.database,
    containers: {},
  };
  for (const def of containerDefinitions()) {
    if (NOT_BACKED_UP.has(def.id)) continue;
    const { resources } = await cosmos.database
      .container(def.id)
      .items.query<Record<string, unknown>>('SELECT * FROM c')
      .fetchAll();
    const lines = resources
      .map(clean)
      .sort(byId)
      .map((d) => JSON.stringify(d));
    const ndjson = Buffer.from(lines.length ? `${lines.join('\n')}\n` : '', 'utf8');
    const gz = gzipSync(ndjson);
    const name = `${backupId}/${def.id}.ndjson.gz`;
    await blob
      .container('backups')
      .getBlockBlobClient(name)
      .uploadData(gz, { blobHTTPHeaders: { blobContentType: 'application/gzip' } });
    manifest.containers[def.id] = {
      blob: name,
      count: lines.length,
      sha256: createHash('sha256').update(ndjson).digest('hex'),
      bytes: ndjson.length,
    };
  }
  await blob
    .container('backups')
    .getBlockBlobClient(`${backupId}/manifest.json`)
    .uploadData(Buffer.from(JSON.stringify(manifest, null, 2)), {
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
  log.info('backup.created', {
    backupId,
    containers: Object.keys(manifest.containers).length,
    documents: Object.values(manifest.containers).reduce((s, c) => s + c.count, 0),
  });
  return manifest;
}

/** A backup that cannot be trusted; nothing is restored from it. */
export class BackupIntegrityError extends Error {
  constructor(reason: string) {
    super(`The backup cannot be restored: ${reason}`);
    this.name = 'BackupIntegrityError';
  }
}

/** Reads and checks a whole backup (manifest, every blob, every checksum and count) before anything is written. */
export async function readVerifiedBackup(
  blob: BlobStore,
  backupId: string,
): Promise<{ manifest: BackupManifest; docs: Record<string, Array<Record<string, unknown>>> }> {
  const container = blob.container('backups');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(
      (await container.getBlockBlobClient(`${backupId}/manifest.json`).downloadToBuffer()).toString('utf8'),
    ) as BackupManifest;
  } catch (error) {
    throw new BackupIntegrityError(`its manifest is missing or unreadable (${(error as Error).name})`);
  }
  if (manifest.format !== 'aliat.backup.v1' || manifest.backupId !== backupId)
    throw new BackupIntegrityError('the manifest is not an Aliat backup manifest for this id');
  const docs: Record<string, Array<Record<string, unknown>>> = {};
  for (const [name, entry] of Object.entries(manifest.containers)) {
    let ndjson: Buffer;
    try {
      ndjson = gunzipSync(await container.getBlockBlobClient(entry.blob).downloadToBuffer());
    } catch (error) {
      throw new BackupIntegrityError(`${name} is missing, truncated or not gzip (${(error as Error).name})`);
    }
    const sha = createHash('sha256').update(ndjson).digest('hex');
    if (sha !== entry.sha256) throw new BackupIntegrityError(`${name} does not match its checksum`);
    const lines = ndjson.toString('utf8').split('\n').filter(Boolean);
    if (lines.length !== entry.count)
      throw new BackupIntegrityError(`${name} has ${lines.length} documents, the manifest says ${entry.count}`);
    docs[name] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
  return { manifest, docs };
}

/** Lists backups, newest first. */
export async function listBackups(blob: BlobStore): Promise<string[]> {
  const ids = new Set<string>();
  for await (const b of blob.container('backups').listBlobsFlat())
    if (b.name.endsWith('/manifest.json')) ids.add(b.name.split('/')[0] as string);
  return [...ids].sort().reverse();
}
