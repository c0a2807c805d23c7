import type { CosmosStore } from '../platform/cosmos.js';
import type { BlobStore } from '../platform/blob.js';
import { CONTAINERS, containerDefinitions } from '../platform/containers.js';
import { log } from '../platform/log.js';
import { subjectRef, type TombstoneDoc } from '../privacy/tombstones.js';
import { BackupIntegrityError, readVerifiedBackup } from './backup.js';

export interface RestoreReport {
  backupId: string;
  restored: Record<string, number>;
  tombstonesReplayed: number;
  erasedAgain: number;
}

/** Pure: whether a restored document belongs to a subject erased after the backup. */
export function erasedBy(doc: Record<string, unknown>, container: string, refs: { tenant: Set<string>; contact: Set<string>; endUser: Set<string> }): boolean {
  const tenantId = typeof doc.tenantId === 'string' ? doc.tenantId : undefined;
  // Billing and tax records outlive account deletion (§9), so a tenant tombstone leaves them.
  if (tenantId && container !== CONTAINERS.billing.id && refs.tenant.has(subjectRef('tenant', tenantId))) return true;
  if (container === CONTAINERS.routes.id && typeof doc.tenantId === 'string' && refs.tenant.has(subjectRef('tenant', doc.tenantId))) return true;
  const contactId = container === CONTAINERS.contacts.id ? String(doc.id) : typeof doc.contactId === 'string' ? doc.contactId : undefined;
  if (contactId && refs.contact.has(subjectRef('contact', contactId))) return true;
  const userIds = [doc.platformUserId, doc.senderId, doc.recipientId].filter((v): v is string => typeof v === 'string');
  return userIds.some((u) => refs.endUser.has(subjectRef('end-user', u)));
}

/**
 * Restores a backup into an empty database: checks the whole backup first, writes every container,
 * then drops whatever the deletion tombstones say was erased (tombstones from the backup itself and
 * from `liveTombstones`, the ones recorded since). If anything fails, the new database is removed:
 * nothing is ever half restored.
 */
export async function restoreBackup(target: CosmosStore, blob: BlobStore, backupId: string, liveTombstones: TombstoneDoc[]): Promise<RestoreReport> {
  const { manifest, docs } = await readVerifiedBackup(blob, backupId);
  const existing = await target.client.database(target.options.database).read().then(
    () => true,
    (e: { code?: number }) => (e.code === 404 ? false : Promise.reject(e)),
  );
  if (existing) {
    const { resources } = await target.client.database(target.options.database).containers.readAll().fetchAll();
    for (const c of resources) {
      const { resources: count } = await target.database.container(c.id).items.query<number>('SELECT VALUE COUNT(1) FROM c').fetchAll();
      if ((count[0] ?? 0) > 0) throw new BackupIntegrityError(`the target database ${target.options.database} is not empty`);
    }
  }
  const tombstones = [...((docs[CONTAINERS.privacy.id] ?? []) as unknown as TombstoneDoc[]).filter((d) => d.type === 'tombstone'), ...liveTombstones];
  const refs = { tenant: new Set<string>(), contact: new Set<string>(), endUser: new Set<string>() };
  for (const t of tombstones) (t.kind === 'tenant' ? refs.tenant : t.kind === 'contact' ? refs.contact : t.kind === 'end-user' ? refs.endUser : new Set<string>()).add(t.ref);
  const report: RestoreReport = { backupId, restored: {}, tombstonesReplayed: tombstones.length, erasedAgain: 0 };
  try {
    await target.ensure();
    for (const def of containerDefinitions()) {
      const list = docs[def.id];
      if (!list) continue;
      const container = target.database.container(def.id);
      let restored = 0;
      let next = 0;
      const keep = list.filter((d) => {
        const erased = erasedBy(d, def.id, refs);
        if (erased) report.erasedAgain++;
        return !erased;
      });
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < keep.length) {
            await container.items.create(keep[next++] as Record<string, unknown>);
            restored++;
          }
        }),
      );
      report.restored[def.id] = restored;
    }
    for (const t of liveTombstones) await target.database.container(CONTAINERS.privacy.id).items.upsert(t);
  } catch (error) {
    await target.client.database(target.options.database).delete().catch(() => undefined);
    throw error;
  }
  log.info('backup.restored', { backupId: manifest.backupId, erasedAgain: report.erasedAgain });
  return report;
}
