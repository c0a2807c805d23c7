import { type SampleRef, withoutSamples } from '../insights/index.js';
import type { BlobStore } from '../platform/blob.js';
import { CONTAINERS, containerDefinitions } from '../platform/containers.js';
import type { CosmosStore } from '../platform/cosmos.js';
import { keyedRef } from '../platform/crypto.js';
import { log } from '../platform/log.js';
import { disabledRealtime } from '../platform/realtime.js';
import { type Clock, systemClock } from '../platform/runtime.js';
import type { Settings } from '../platform/settings.js';
import {
  cosmosPrivacyRecordsRepository,
  runRetentionPurge,
  type SubjectKind,
  type TombstoneDoc,
} from '../privacy/index.js';
import { BackupIntegrityError, readVerifiedBackup } from './backup.js';

export interface RestoreReport {
  backupId: string;
  restored: Record<string, number>;
  tombstonesReplayed: number;
  erasedAgain: number;
  /** Documents the retention rules removed again after the restore. */
  purgedAgain: number;
}

/** The erasures a restore must honour: per kind, keyed reference to the time of erasure. */
export interface ErasedSubjects {
  key: string;
  at: Map<SubjectKind, Map<string, string>>;
}

export function erasedSubjects(key: string, tombstones: TombstoneDoc[]): ErasedSubjects {
  const at = new Map<SubjectKind, Map<string, string>>();
  for (const t of tombstones) {
    const byRef = at.get(t.kind) ?? new Map<string, string>();
    // The latest erasure wins: anything created before it is gone.
    if ((byRef.get(t.ref) ?? '') < t.erasedAt) byRef.set(t.ref, t.erasedAt);
    at.set(t.kind, byRef);
  }
  return { key, at };
}

/**
 * Pure: whether a restored document belongs to a subject erased after (or before) it was written.
 * A document written after its subject's erasure (the person wrote again) stays; one without a
 * creation time counts as older.
 */
export function erasedBy(doc: Record<string, unknown>, container: string, erased: ErasedSubjects): boolean {
  const created = typeof doc.createdAt === 'string' ? doc.createdAt : '';
  const hit = (kind: SubjectKind, id: unknown, timed = true): boolean => {
    if (typeof id !== 'string') return false;
    const when = erased.at.get(kind)?.get(keyedRef(erased.key, kind, id));
    return when !== undefined && (!timed || created === '' || created <= when);
  };
  const tenantId = doc.tenantId;
  // Billing and tax records outlive account deletion (§9), so a tenant tombstone leaves them.
  if (container !== CONTAINERS.billing.id && hit('tenant', tenantId, false)) return true;
  if (container === CONTAINERS.knowledge.id && hit('knowledge-base', tenantId)) return true;
  if (hit('contact', container === CONTAINERS.contacts.id ? doc.id : doc.contactId)) return true;
  if (hit('conversation', container === CONTAINERS.conversations.id ? doc.id : doc.conversationId)) return true;
  if (container === CONTAINERS.messages.id && hit('message', doc.id)) return true;
  return [doc.platformUserId, doc.senderId, doc.recipientId].some((u) => hit('end-user', u));
}

export interface RestoreOptions {
  /** The PSEUDONYM_KEY the tombstones were written with. */
  settings: Pick<Settings, 'PSEUDONYM_KEY'>;
  /** Now, for the retention rules applied after the restore. */
  clock?: Clock;
}

/**
 * Restores a backup into an empty database: checks the whole backup first, writes every container,
 * then drops whatever the deletion tombstones say was erased (tombstones from the backup itself and
 * from `liveTombstones`, the ones recorded since). If anything fails, the new database is removed:
 * nothing is ever half restored.
 */
export async function restoreBackup(
  target: CosmosStore,
  blob: BlobStore,
  backupId: string,
  liveTombstones: TombstoneDoc[],
  options: RestoreOptions,
): Promise<RestoreReport> {
  const { manifest, docs } = await readVerifiedBackup(blob, backupId);
  // The target must already exist (Bicep or restore-target.ts created it): with Entra tokens the
  // data plane can only write documents, so that is all a restore does.
  await target.client
    .database(target.options.database)
    .read()
    .catch((e: { code?: number }) => {
      throw e.code === 404
        ? new BackupIntegrityError(
            `the target database ${target.options.database} does not exist; create it first (npm run restore -- --create-target)`,
          )
        : e;
    });
  for (const def of containerDefinitions()) {
    await target.database
      .container(def.id)
      .read()
      .catch((e: { code?: number }) => {
        throw e.code === 404
          ? new BackupIntegrityError(
              `the target database ${target.options.database} has no container ${def.id}; create it first`,
            )
          : e;
      });
    const { resources: count } = await target.database
      .container(def.id)
      .items.query<number>('SELECT VALUE COUNT(1) FROM c')
      .fetchAll();
    if ((count[0] ?? 0) > 0)
      throw new BackupIntegrityError(`the target database ${target.options.database} is not empty`);
  }
  const tombstones = [
    ...((docs[CONTAINERS.privacy.id] ?? []) as unknown as TombstoneDoc[]).filter((d) => d.type === 'tombstone'),
    ...liveTombstones,
  ];
  const erased = erasedSubjects(options.settings.PSEUDONYM_KEY, tombstones);
  const report: RestoreReport = {
    backupId,
    restored: {},
    tombstonesReplayed: tombstones.length,
    erasedAgain: 0,
    purgedAgain: 0,
  };
  // What was written, so a failed restore can take it back with data-plane deletes alone.
  const written: Array<{ container: string; id: string; partitionKey: unknown }> = [];
  try {
    for (const def of containerDefinitions()) {
      const list = docs[def.id];
      if (!list) continue;
      const container = target.database.container(def.id);
      let restored = 0;
      let next = 0;
      const keep = list
        .filter((d) => {
          const gone = erasedBy(d, def.id, erased);
          if (gone) report.erasedAgain++;
          return !gone;
        })
        // Knowledge-gap samples are End-User content nested in a tenant's gap document.
        .map((d) =>
          d.type === 'insights-gap'
            ? withoutSamples(
                d as never,
                (s: SampleRef) =>
                  erasedBy({ ...s, tenantId: d.tenantId }, def.id, erased) ||
                  (s.messageIds ?? []).some((id) => erasedBy({ id }, CONTAINERS.messages.id, erased)),
              )
            : d,
        );
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < keep.length) {
            const doc = keep[next++] as Record<string, unknown>;
            await container.items.create(doc);
            written.push({ container: def.id, id: String(doc.id), partitionKey: doc[def.partitionKey.slice(1)] });
            restored++;
          }
        }),
      );
      report.restored[def.id] = restored;
    }
    const records = cosmosPrivacyRecordsRepository(target);
    for (const t of liveTombstones) await records.saveTombstone(t);
    // What the retention purge removed since the backup (old logs, expired exports, closed accounts
    // past their window) leaves no tombstone: running the same purge on the restored data removes it again.
    const purge = await runRetentionPurge(
      {
        settings: options.settings as Settings,
        cosmos: target,
        blob,
        bus: undefined as never,
        realtime: disabledRealtime,
        clock: options.clock ?? systemClock,
      },
      { runId: `restore-${backupId}`, deadLetters: false },
    );
    report.purgedAgain = Object.values(purge.counts).reduce((a, b) => a + b, 0);
  } catch (error) {
    for (const w of written)
      await target.database
        .container(w.container)
        .item(w.id, w.partitionKey as string)
        .delete()
        .catch(() => undefined);
    throw error;
  }
  log.info('backup.restored', { backupId: manifest.backupId, erasedAgain: report.erasedAgain });
  return report;
}
