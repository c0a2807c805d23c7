import type { CosmosStore } from '../platform/cosmos.js';
import { deleteIds, idsWhere } from '../platform/delete-items.js';
import { createInTenant, readValidated, updateValidated } from '../platform/document-store.js';
import { type ListPage, memoryPage } from '../platform/memory-page.js';
import { queryPage } from '../platform/paging.js';
import { assertTenant, MemoryTable, parseAllStored, parseStored } from '../platform/repository.js';
import { type ContactCard, type ContactDoc, contactCardSchema, contactDocSchema } from './contact-document.js';

const NAME = 'contacts';

/** The `contacts` container, partitioned by tenant. */
export interface ContactRepository {
  get(tenantId: string, id: string): Promise<ContactDoc | undefined>;
  /** Creates a contact; false when it already exists (ingest's idempotency). */
  createOnce(tenantId: string, doc: ContactDoc): Promise<boolean>;
  /** Read-modify-write under the etag, retried on a concurrent change; `change` returns undefined to leave it. */
  update(
    tenantId: string,
    id: string,
    change: (current: ContactDoc) => ContactDoc | undefined,
  ): Promise<ContactDoc | undefined>;
  /** Name and picture of some contacts, for inbox rows. */
  cards(tenantId: string, ids: string[]): Promise<ContactCard[]>;
  /** Newest first, a page at a time; `name` matches part of the name, case-insensitive. */
  list(
    tenantId: string,
    filter: { name?: string },
    page: ListPage,
  ): Promise<{ items: ContactDoc[]; continuationToken?: string }>;
  /**
   * Platform-wide on purpose (§12.2: an End-User's erasure request names only their platform id): every
   * contact with that id, in every tenant, or in one when `tenantId` is given.
   */
  withPlatformUserId(platformUserId: string, tenantId?: string): Promise<ContactDoc[]>;
  /** Every contact of the tenant, for its data export (Art. 15/20). */
  all(tenantId: string): Promise<ContactDoc[]>;
  /** Deletes every contact of the tenant; returns how many went. */
  forgetTenant(tenantId: string): Promise<number>;
  /** Deletes one contact; returns 1, or 0 when it was not there. */
  forgetSubject(tenantId: string, contactId: string): Promise<number>;
}

export function cosmosContactRepository(cosmos: CosmosStore): ContactRepository {
  const container = () => cosmos.container('contacts');
  return {
    get: (tenantId, id) => readValidated(container(), contactDocSchema, NAME, id, tenantId),
    createOnce: (tenantId, doc) => createInTenant(container(), tenantId, doc),
    update: (tenantId, id, change) =>
      updateValidated(container(), contactDocSchema, NAME, id, tenantId, (current) => {
        const next = change(current);
        if (next) assertTenant(tenantId, next);
        return next;
      }),
    async cards(tenantId, ids) {
      const { resources } = await container()
        .items.query(
          {
            query:
              "SELECT c.id, c.name, c.profilePicUrl FROM c WHERE c.tenantId = @t AND c.type = 'contact' AND ARRAY_CONTAINS(@ids, c.id)",
            parameters: [
              { name: '@t', value: tenantId },
              { name: '@ids', value: ids },
            ],
          },
          { partitionKey: tenantId },
        )
        .fetchAll();
      return parseAllStored(contactCardSchema, NAME, resources);
    },
    async list(tenantId, filter, page) {
      const byName = filter.name ? ' AND IS_STRING(c.name) AND CONTAINS(LOWER(c.name), @q)' : '';
      const result = await queryPage<unknown>(container(), {
        secret: page.secret,
        kind: page.kind,
        tenantId,
        query: `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'contact'${byName} ORDER BY c.createdAt DESC`,
        parameters: filter.name ? [{ name: '@q', value: filter.name.toLowerCase() }] : [],
        limit: page.limit,
        token: page.token,
      });
      return { ...result, items: parseAllStored(contactDocSchema, NAME, result.items) };
    },
    async withPlatformUserId(platformUserId, tenantId) {
      const { resources } = await container()
        .items.query({
          query: `SELECT * FROM c WHERE c.type = 'contact' AND c.platformUserId = @u ${tenantId ? 'AND c.tenantId = @t' : ''}`,
          parameters: [{ name: '@u', value: platformUserId }, ...(tenantId ? [{ name: '@t', value: tenantId }] : [])],
        })
        .fetchAll();
      return parseAllStored(contactDocSchema, NAME, resources);
    },
    async all(tenantId) {
      const { resources } = await container()
        .items.query(
          { query: 'SELECT * FROM c WHERE c.tenantId = @t', parameters: [{ name: '@t', value: tenantId }] },
          { partitionKey: tenantId },
        )
        .fetchAll();
      return parseAllStored(contactDocSchema, NAME, resources);
    },
    async forgetTenant(tenantId) {
      return deleteIds(container(), tenantId, await idsWhere(container(), tenantId));
    },
    forgetSubject: (tenantId, contactId) => deleteIds(container(), tenantId, [contactId]),
  };
}

/** In memory, for unit tests of use-cases: the same answers as the Cosmos version. */
export function memoryContactRepository(table = new MemoryTable<ContactDoc>()): ContactRepository {
  const tenants = new Set<string>();
  return {
    get: async (tenantId, id) => table.get(tenantId, id),
    async createOnce(tenantId, doc) {
      assertTenant(tenantId, doc);
      tenants.add(tenantId);
      return table.create(tenantId, parseStored(contactDocSchema, NAME, doc));
    },
    async update(tenantId, id, change) {
      const current = table.get(tenantId, id);
      if (!current) return undefined;
      const next = change(current);
      if (!next) return current;
      assertTenant(tenantId, next);
      table.put(tenantId, parseStored(contactDocSchema, NAME, next));
      return table.get(tenantId, id);
    },
    cards: async (tenantId, ids) =>
      table
        .list(tenantId, (c) => ids.includes(c.id))
        .map((c) => ({
          id: c.id,
          ...(c.name !== undefined ? { name: c.name } : {}),
          ...(c.profilePicUrl !== undefined ? { profilePicUrl: c.profilePicUrl } : {}),
        })),
    async list(tenantId, filter, page) {
      const q = filter.name?.toLowerCase();
      const rows = table
        .list(tenantId, (c) => q === undefined || (typeof c.name === 'string' && c.name.toLowerCase().includes(q)))
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
      return memoryPage(rows, tenantId, q ?? '', page);
    },
    withPlatformUserId: async (platformUserId, tenantId) =>
      [...tenants]
        .filter((t) => tenantId === undefined || t === tenantId)
        .flatMap((t) => table.list(t, (c) => c.platformUserId === platformUserId)),
    all: async (tenantId) => table.list(tenantId),
    forgetTenant: async (tenantId) => table.deleteWhere(tenantId),
    forgetSubject: async (tenantId, contactId) => (table.delete(tenantId, contactId) ? 1 : 0),
  };
}

const repositories = new WeakMap<CosmosStore, ContactRepository>();

/** The Cosmos repository of a runtime's store, built once per store. */
export function contactRepository(rt: { cosmos: CosmosStore }): ContactRepository {
  let repo = repositories.get(rt.cosmos);
  if (!repo) {
    repo = cosmosContactRepository(rt.cosmos);
    repositories.set(rt.cosmos, repo);
  }
  return repo;
}
