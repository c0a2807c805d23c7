import type { z } from 'zod';
import type { CosmosStore } from '../platform/cosmos.js';
import { deleteIds, deleteItem, idsWhere } from '../platform/delete-items.js';
import { createOnce, updateWithRetry } from '../platform/document-store.js';
import { MemoryTable, parseAllStored, parseStored } from '../platform/repository.js';
import { type DueThread, dueThreadSchema, type ThreadDoc, threadDocSchema } from './insights-documents.js';

export const threadId = (conversationId: string) => `thread:${conversationId}`;

/** The `insightThreads` container, partitioned by tenant: one tracker per conversation, apart from the day counters. */
export interface ThreadRepository {
  /** Creates a tracker once; false when it exists. */
  create(thread: ThreadDoc): Promise<boolean>;
  update(
    tenantId: string,
    conversationId: string,
    change: (current: ThreadDoc) => ThreadDoc | undefined,
  ): Promise<ThreadDoc | undefined>;
  save(thread: ThreadDoc): Promise<void>;
  /**
   * The trackers whose open episode settles by `now` (ms). With a tenant, that tenant's; without,
   * platform-wide across every tenant (the hourly sweep).
   */
  due(now: number, tenantId?: string): Promise<DueThread[]>;
  /** Deletes every tracker of a tenant; returns how many went. */
  forgetTenant(tenantId: string): Promise<number>;
  /** Deletes one conversation's tracker (conversation metadata); returns 1 or 0. */
  forgetSubject(tenantId: string, conversationId: string): Promise<number>;
}

const THREADS = 'insightThreads';

export function cosmosThreadRepository(cosmos: CosmosStore): ThreadRepository {
  const container = () => cosmos.container('insightThreads');
  const parse = (doc: unknown) => parseStored(threadDocSchema as z.ZodType<ThreadDoc>, THREADS, doc);
  return {
    create: (thread) => createOnce(container(), thread),
    async update(tenantId, conversationId, change) {
      const saved = await updateWithRetry<ThreadDoc>(container(), threadId(conversationId), tenantId, (raw) =>
        change(parse(raw)),
      );
      return saved ? parse(saved) : undefined;
    },
    async save(thread) {
      await container().items.upsert(thread);
    },
    async due(now, tenantId) {
      const { resources } = await container()
        .items.query(
          {
            query: `SELECT c.id, c.tenantId, c.conversationId, c.platform FROM c WHERE c.type = 'insights-thread' AND c.settleAt <= @now ${tenantId ? 'AND c.tenantId = @tenantId' : ''}`,
            parameters: [{ name: '@now', value: now }, ...(tenantId ? [{ name: '@tenantId', value: tenantId }] : [])],
          },
          tenantId ? { partitionKey: tenantId } : {},
        )
        .fetchAll();
      return parseAllStored(dueThreadSchema, THREADS, resources);
    },
    forgetTenant: async (tenantId) => deleteIds(container(), tenantId, await idsWhere(container(), tenantId)),
    forgetSubject: async (tenantId, conversationId) =>
      (await deleteItem(container(), threadId(conversationId), tenantId)) ? 1 : 0,
  };
}

/** The same repository in memory, for unit tests. */
export function memoryThreadRepository(): ThreadRepository {
  const table = new MemoryTable<ThreadDoc>();
  const tenants = new Set<string>();
  return {
    create: async (thread) => {
      tenants.add(thread.tenantId);
      return table.create(thread.tenantId, thread);
    },
    async update(tenantId, conversationId, change) {
      const current = table.get(tenantId, threadId(conversationId));
      if (!current) return undefined;
      const next = change(current);
      if (!next) return current;
      table.put(tenantId, next);
      return structuredClone(next);
    },
    save: async (thread) => {
      tenants.add(thread.tenantId);
      table.put(thread.tenantId, thread);
    },
    due: async (now, tenantId) =>
      (tenantId ? [tenantId] : [...tenants])
        .flatMap((t) => table.list(t, (d) => d.settleAt !== undefined && d.settleAt <= now))
        .map((d) => ({ id: d.id, tenantId: d.tenantId, conversationId: d.conversationId, platform: d.platform })),
    forgetTenant: async (tenantId) => table.deleteWhere(tenantId),
    forgetSubject: async (tenantId, conversationId) => (table.delete(tenantId, threadId(conversationId)) ? 1 : 0),
  };
}
