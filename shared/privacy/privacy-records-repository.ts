import type { PatchOperation } from '@azure/cosmos';
import type { CosmosStore } from '../platform/cosmos.js';
import { deleteItem, sweepWhere } from '../platform/delete-items.js';
import { MemoryTable, parseAllStored, parseStored } from '../platform/repository.js';
import {
  type DeletionRequestDoc,
  deletionRequestDocSchema,
  type ExportDoc,
  exportDocSchema,
  type PurgeReportDoc,
  purgeReportDocSchema,
  type TombstoneDoc,
  tombstoneDocSchema,
} from './privacy-documents.js';

/** What completing a request sets on it. */
export type RequestOutcome = Required<Pick<DeletionRequestDoc, 'completedAt' | 'counts' | 'result'>> &
  Pick<DeletionRequestDoc, 'matched'>;

/**
 * The `privacy` container: deletion requests and their receipts, tombstones, export records and
 * purge reports. Platform-wide and partitioned by /id: these records outlive the tenants and people
 * they are about, which they name only by keyed references (tombstones hold no personal data), so
 * no call is scoped to a tenant. Breach notices live here too; the e-mail slice writes them.
 */
export interface PrivacyRecordsRepository {
  saveRequest(request: DeletionRequestDoc): Promise<void>;
  getRequest(id: string): Promise<DeletionRequestDoc | undefined>;
  completeRequest(id: string, outcome: RequestOutcome): Promise<void>;
  saveTombstone(tombstone: TombstoneDoc): Promise<void>;
  getTombstone(id: string): Promise<TombstoneDoc | undefined>;
  /** Tombstones written since a time (a restore replays them). */
  tombstonesSince(since: Date): Promise<TombstoneDoc[]>;
  saveExport(record: ExportDoc): Promise<void>;
  getExport(id: string): Promise<ExportDoc | undefined>;
  /** The export records of one subject (a tenant's, or one End-User's), by keyed reference. */
  exportsOf(scope: ExportDoc['scope'], subjectRef: string): Promise<ExportDoc[]>;
  /** Deletes one record; a missing one is fine. */
  deleteRecord(id: string): Promise<void>;
  saveReport(report: PurgeReportDoc): Promise<void>;
  getReport(id: string): Promise<PurgeReportDoc | undefined>;
  /**
   * Deletes the export records of a tenant, named by its keyed reference (the container holds no
   * tenant ids). Requests and tombstones stay: they are the proof of erasure. Returns how many went.
   * The files themselves are `exports.ts`'s to delete (eraseExportsHolding does both).
   */
  forgetTenant(tenantRef: string): Promise<number>;
  /** The same for one End-User's export records. */
  forgetSubject(endUserRef: string): Promise<number>;
}

const PRIVACY = 'privacy';

export function cosmosPrivacyRecordsRepository(cosmos: CosmosStore): PrivacyRecordsRepository {
  const container = () => cosmos.container('privacy');
  const read = async (id: string, type: string) => {
    const { resource } = await container().item(id, id).read();
    // Ids carry their kind's prefix; a record of another kind under the id is not this one.
    return (resource as { type?: unknown } | undefined)?.type === type ? resource : undefined;
  };
  const remove = async (id: string) => ((await deleteItem(container(), id, id)) ? 1 : 0);
  const repo: PrivacyRecordsRepository = {
    async saveRequest(request) {
      await container().items.upsert(request);
    },
    async getRequest(id) {
      const doc = await read(id, 'deletion-request');
      return doc ? parseStored(deletionRequestDocSchema, PRIVACY, doc) : undefined;
    },
    async completeRequest(id, outcome) {
      const ops: PatchOperation[] = [
        { op: 'set', path: '/status', value: 'completed' },
        { op: 'set', path: '/completedAt', value: outcome.completedAt },
        { op: 'set', path: '/counts', value: outcome.counts },
        { op: 'set', path: '/result', value: outcome.result },
        ...(outcome.matched ? [{ op: 'set' as const, path: '/matched', value: outcome.matched }] : []),
      ];
      await container().item(id, id).patch(ops);
    },
    async saveTombstone(tombstone) {
      await container().items.upsert(tombstone);
    },
    async getTombstone(id) {
      const doc = await read(id, 'tombstone');
      return doc ? parseStored(tombstoneDocSchema, PRIVACY, doc) : undefined;
    },
    async tombstonesSince(since) {
      const { resources } = await container()
        .items.query({
          query: "SELECT * FROM c WHERE c.type = 'tombstone' AND c.erasedAt >= @since",
          parameters: [{ name: '@since', value: since.toISOString() }],
        })
        .fetchAll();
      return parseAllStored(tombstoneDocSchema, PRIVACY, resources);
    },
    async saveExport(record) {
      await container().items.upsert(record);
    },
    async getExport(id) {
      const doc = await read(id, 'export');
      return doc ? parseStored(exportDocSchema, PRIVACY, doc) : undefined;
    },
    async exportsOf(scope, subjectRef) {
      const { resources } = await container()
        .items.query({
          query: "SELECT * FROM c WHERE c.type = 'export' AND c.scope = @scope AND c.subjectRef = @ref",
          parameters: [
            { name: '@scope', value: scope },
            { name: '@ref', value: subjectRef },
          ],
        })
        .fetchAll();
      return parseAllStored(exportDocSchema, PRIVACY, resources);
    },
    async deleteRecord(id) {
      await remove(id);
    },
    async saveReport(report) {
      await container().items.upsert(report);
    },
    async getReport(id) {
      const doc = await read(id, 'purge-report');
      return doc ? parseStored(purgeReportDocSchema, PRIVACY, doc) : undefined;
    },
    async forgetTenant(tenantRef) {
      let n = 0;
      for (const e of await repo.exportsOf('tenant', tenantRef)) n += await remove(e.id);
      return n;
    },
    async forgetSubject(endUserRef) {
      let n = 0;
      for (const e of await repo.exportsOf('end-user', endUserRef)) n += await remove(e.id);
      return n;
    },
  };
  return repo;
}

type PrivacyRecord = DeletionRequestDoc | TombstoneDoc | ExportDoc | PurgeReportDoc;

/** The same repository in memory, for unit tests of the privacy use-cases. */
export function memoryPrivacyRecordsRepository(): PrivacyRecordsRepository {
  const table = new MemoryTable<PrivacyRecord>();
  const ids = new Set<string>();
  const put = (doc: PrivacyRecord) => {
    ids.add(doc.id);
    table.put(doc.id, doc);
  };
  const get = <T extends PrivacyRecord>(id: string, type: T['type']) => {
    const doc = table.get(id, id);
    return doc?.type === type ? (doc as T) : undefined;
  };
  const all = () => [...ids].flatMap((id) => table.list(id));
  const forget = (scope: ExportDoc['scope'], ref: string) => {
    let n = 0;
    for (const d of all())
      if (d.type === 'export' && d.scope === scope && d.subjectRef === ref && table.delete(d.id, d.id)) n++;
    return n;
  };
  return {
    saveRequest: async (request) => put(request),
    getRequest: async (id) => get<DeletionRequestDoc>(id, 'deletion-request'),
    async completeRequest(id, outcome) {
      const current = get<DeletionRequestDoc>(id, 'deletion-request');
      if (!current) throw Object.assign(new Error('Not found'), { code: 404 });
      put({ ...current, status: 'completed', ...outcome });
    },
    saveTombstone: async (tombstone) => put(tombstone),
    getTombstone: async (id) => get<TombstoneDoc>(id, 'tombstone'),
    tombstonesSince: async (since) =>
      all().filter((d): d is TombstoneDoc => d.type === 'tombstone' && d.erasedAt >= since.toISOString()),
    saveExport: async (record) => put(record),
    getExport: async (id) => get<ExportDoc>(id, 'export'),
    exportsOf: async (scope, ref) =>
      all().filter((d): d is ExportDoc => d.type === 'export' && d.scope === scope && d.subjectRef === ref),
    deleteRecord: async (id) => {
      table.delete(id, id);
    },
    saveReport: async (report) => put(report),
    getReport: async (id) => get<PurgeReportDoc>(id, 'purge-report'),
    forgetTenant: async (tenantRef) => forget('tenant', tenantRef),
    forgetSubject: async (endUserRef) => forget('end-user', endUserRef),
  };
}

/** Stores a breach notice record (§10: which customer was told when). Created once per notice id. */
export async function saveBreachNotice(
  cosmos: CosmosStore,
  notice: { id: string; type: 'breach-notice'; createdAt: string },
): Promise<void> {
  await cosmos.container(PRIVACY).items.create(notice);
}

/** Export records past their expiry, with the blob each one names, for the purge. */
export async function expiredExports(
  cosmos: CosmosStore,
  now: string,
): Promise<Array<{ id: string; blobName?: string }>> {
  const { resources } = await cosmos
    .container(PRIVACY)
    .items.query<{ id: string; blobName?: string }>({
      query: "SELECT c.id, c.blobName FROM c WHERE c.type = 'export' AND c.expiresAt < @now",
      parameters: [{ name: '@now', value: now }],
    })
    .fetchAll();
  return resources;
}

/** Removes expired export records (their files go first, in the purge). */
export function sweepExpiredExports(cosmos: CosmosStore, now: string, dryRun: boolean): Promise<number> {
  return sweepWhere(
    cosmos.container(PRIVACY),
    "c.type = 'export' AND c.expiresAt < @now",
    [{ name: '@now', value: now }],
    '.id',
    dryRun,
  );
}

/**
 * §9 Logs: receipts, tombstones, purge reports, requests (completed or never completed) and breach
 * notices older than `cut` (12 months).
 */
export async function sweepPrivacyRecords(cosmos: CosmosStore, cut: string, dryRun: boolean): Promise<number> {
  const container = cosmos.container(PRIVACY);
  const at = [{ name: '@cut', value: cut }];
  let n = 0;
  for (const where of [
    "c.type IN ('tombstone', 'purge-report') AND (c.erasedAt < @cut OR c.startedAt < @cut)",
    "c.type = 'deletion-request' AND c.status = 'completed' AND c.completedAt < @cut",
    // A request that never completed (a job that kept failing is alerted on long before).
    "c.type = 'deletion-request' AND c.status = 'pending' AND c.requestedAt < @cut",
    "c.type = 'breach-notice' AND c.createdAt < @cut",
  ])
    n += await sweepWhere(container, where, at, '.id', dryRun);
  return n;
}
