import type { CosmosStore } from '../platform/cosmos.js';
import { deleteItem } from '../platform/delete-items.js';
import { createOnce, updateWithRetry } from '../platform/document-store.js';
import { type ListPage, memoryPage } from '../platform/memory-page.js';
import { queryPage } from '../platform/paging.js';
import { assertTenant, MemoryTable, parseAllStored, parseStored } from '../platform/repository.js';
import { type KbEntryDoc, type KbIndexDoc, kbEntryDocSchema, kbIndexDocSchema } from './schemas.js';

const CONTAINER = 'knowledge';
const INDEX_ID = 'kb-index';

type KbDoc = KbEntryDoc | KbIndexDoc;

/** The `knowledge` container: one partition per tenant holding its entries and its index state. */
export interface KnowledgeRepository {
  /** The tenant's entries, oldest first, optionally of one kind. */
  listEntries(tenantId: string, kind?: KbEntryDoc['kind']): Promise<KbEntryDoc[]>;
  /** One page of the same list, for the API. */
  listEntriesPage(
    tenantId: string,
    kind: KbEntryDoc['kind'] | undefined,
    page: ListPage,
  ): Promise<{ items: KbEntryDoc[]; continuationToken?: string }>;
  getEntry(tenantId: string, id: string): Promise<KbEntryDoc | undefined>;
  /** Creates an entry; false when one with that id already exists. */
  createEntry(tenantId: string, entry: KbEntryDoc): Promise<boolean>;
  /**
   * Read-change-write guarded by the etag; `change` returns undefined to leave the entry alone. The entry as written,
   * or undefined when there is none or `change` left it alone (on a retry after a concurrent write, too).
   */
  updateEntry(
    tenantId: string,
    id: string,
    change: (entry: KbEntryDoc) => KbEntryDoc | undefined,
  ): Promise<KbEntryDoc | undefined>;
  /** False when there was no such entry. */
  deleteEntry(tenantId: string, id: string): Promise<boolean>;
  getIndexState(tenantId: string): Promise<KbIndexDoc | undefined>;
  /** Creates the index state; false when it already exists. */
  createIndexState(tenantId: string, state: KbIndexDoc): Promise<boolean>;
  updateIndexState(tenantId: string, change: (state: KbIndexDoc) => KbIndexDoc): Promise<KbIndexDoc | undefined>;
  /** Deletes every entry and the index state of the tenant; returns how many documents went. */
  forgetTenant(tenantId: string): Promise<number>;
}

const readEntry = (doc: unknown) => parseStored(kbEntryDocSchema, CONTAINER, doc) as unknown as KbEntryDoc;
const readIndex = (doc: unknown) => parseStored(kbIndexDocSchema, CONTAINER, doc) as unknown as KbIndexDoc;

const entriesQuery = (kind: KbEntryDoc['kind'] | undefined) => ({
  query: `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'kb-entry' ${kind ? 'AND c.kind = @kind' : ''} ORDER BY c.createdAt ASC`,
  parameters: kind ? [{ name: '@kind', value: kind }] : [],
});

export function cosmosKnowledgeRepository(cosmos: CosmosStore): KnowledgeRepository {
  const container = () => cosmos.container(CONTAINER);
  return {
    async listEntries(tenantId, kind) {
      const { query, parameters } = entriesQuery(kind);
      const { resources } = await container()
        .items.query(
          { query, parameters: [{ name: '@tenantId', value: tenantId }, ...parameters] },
          { partitionKey: tenantId },
        )
        .fetchAll();
      return parseAllStored(kbEntryDocSchema, CONTAINER, resources) as unknown as KbEntryDoc[];
    },
    async listEntriesPage(tenantId, kind, page) {
      const result = await queryPage<unknown>(container(), { ...page, tenantId, ...entriesQuery(kind) });
      return { ...result, items: parseAllStored(kbEntryDocSchema, CONTAINER, result.items) as unknown as KbEntryDoc[] };
    },
    async getEntry(tenantId, id) {
      const { resource } = await container().item(id, tenantId).read();
      return resource?.type === 'kb-entry' && resource.tenantId === tenantId ? readEntry(resource) : undefined;
    },
    async createEntry(tenantId, entry) {
      assertTenant(tenantId, entry);
      return createOnce(container(), entry);
    },
    async updateEntry(tenantId, id, change) {
      // updateWithRetry gives back the stored document when nothing is written: the last try decides.
      let wrote = false;
      const saved = await updateWithRetry<KbDoc>(container(), id, tenantId, (doc) => {
        const next = doc.type === 'kb-entry' ? change(readEntry(doc)) : undefined;
        wrote = next !== undefined;
        return next;
      });
      return wrote && saved?.type === 'kb-entry' ? readEntry(saved) : undefined;
    },
    async deleteEntry(tenantId, id) {
      if (!(await this.getEntry(tenantId, id))) return false;
      return deleteItem(container(), id, tenantId);
    },
    async getIndexState(tenantId) {
      const { resource } = await container().item(INDEX_ID, tenantId).read();
      return resource ? readIndex(resource) : undefined;
    },
    async createIndexState(tenantId, state) {
      assertTenant(tenantId, state);
      return createOnce(container(), state);
    },
    async updateIndexState(tenantId, change) {
      const saved = await updateWithRetry<KbIndexDoc>(container(), INDEX_ID, tenantId, (doc) => change(readIndex(doc)));
      return saved ? readIndex(saved) : undefined;
    },
    async forgetTenant(tenantId) {
      const { resources } = await container()
        .items.query<{ id: string }>(
          {
            query: 'SELECT c.id FROM c WHERE c.tenantId = @tenantId',
            parameters: [{ name: '@tenantId', value: tenantId }],
          },
          { partitionKey: tenantId },
        )
        .fetchAll();
      let deleted = 0;
      for (const { id } of resources) if (await deleteItem(container(), id, tenantId)) deleted++;
      return deleted;
    },
  };
}

/** The same container in memory, for unit tests of the use-cases. */
export function memoryKnowledgeRepository(table = new MemoryTable<KbDoc>()): KnowledgeRepository {
  const entry = (doc: KbDoc | undefined) => (doc?.type === 'kb-entry' ? doc : undefined);
  return {
    async listEntries(tenantId, kind) {
      return table
        .list(tenantId, (d) => d.type === 'kb-entry' && (!kind || d.kind === kind))
        .map((d) => d as KbEntryDoc)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async listEntriesPage(tenantId, kind, page) {
      return memoryPage(await this.listEntries(tenantId, kind), tenantId, kind ?? '', page);
    },
    async getEntry(tenantId, id) {
      return entry(table.get(tenantId, id));
    },
    async createEntry(tenantId, doc) {
      assertTenant(tenantId, doc);
      return table.create(tenantId, doc);
    },
    async updateEntry(tenantId, id, change) {
      const current = entry(table.get(tenantId, id));
      if (!current) return undefined;
      const next = change(current);
      if (!next) return undefined;
      table.put(tenantId, next);
      return entry(table.get(tenantId, id));
    },
    async deleteEntry(tenantId, id) {
      return entry(table.get(tenantId, id)) ? table.delete(tenantId, id) : false;
    },
    async getIndexState(tenantId) {
      const doc = table.get(tenantId, INDEX_ID);
      return doc?.type === 'kb-index' ? doc : undefined;
    },
    async createIndexState(tenantId, state) {
      assertTenant(tenantId, state);
      return table.create(tenantId, state);
    },
    async updateIndexState(tenantId, change) {
      const current = await this.getIndexState(tenantId);
      if (!current) return undefined;
      table.put(tenantId, change(current));
      return this.getIndexState(tenantId);
    },
    async forgetTenant(tenantId) {
      return table.deleteWhere(tenantId);
    },
  };
}
