import { z } from 'zod';
import type { CosmosStore } from '../platform/cosmos.js';
import { deleteIds, idsWhere } from '../platform/delete-items.js';
import { createInTenant, readValidated, updateValidated } from '../platform/document-store.js';
import { type ListPage, memoryPage } from '../platform/memory-page.js';
import { queryPage } from '../platform/paging.js';
import { assertTenant, MemoryTable, memoryTenantDocs, parseAllStored } from '../platform/repository.js';
import { type ConversationDoc, conversationDocSchema } from './documents.js';
import type { ConversationState } from './state.js';
import type { SummaryRow } from './unread.js';

const NAME = 'conversations';

/** The filters of the inbox list. */
export interface ConversationFilter {
  state?: ConversationState;
  channelId?: string;
  /** Unread (true) or read (false) by the member with this key (unread.ts memberKey). */
  unread?: { memberKey: string; unread: boolean };
  /** A member sub, or null for unassigned. */
  assignee?: string | null;
  /** ISO time: updated at or after. */
  updatedSince?: string;
}

/** Whom a subject deletion is about: one contact's conversations, or one conversation. */
export type ConversationSubject = { contactId: string } | { conversationId: string };

/** The `conversations` container, partitioned by tenant. */
export interface ConversationRepository {
  get(tenantId: string, id: string): Promise<ConversationDoc | undefined>;
  /** Creates a conversation; false when it already exists (ingest's idempotency). */
  createOnce(tenantId: string, doc: ConversationDoc): Promise<boolean>;
  /** Read-modify-write under the etag, retried on a concurrent change; `change` returns undefined to leave it. */
  update(
    tenantId: string,
    id: string,
    change: (current: ConversationDoc) => ConversationDoc | undefined,
  ): Promise<ConversationDoc | undefined>;
  /** Sets lastOutboundAt without reading first (a send went out). */
  setLastOutboundAt(tenantId: string, id: string, at: string): Promise<void>;
  /** A contact's conversations. */
  ofContact(tenantId: string, contactId: string): Promise<ConversationDoc[]>;
  /** The inbox: most recently updated first, a page at a time. */
  list(
    tenantId: string,
    filter: ConversationFilter,
    page: ListPage,
  ): Promise<{ items: ConversationDoc[]; continuationToken?: string }>;
  /** Every conversation's unread fields, for the inbox totals. */
  summaryRows(tenantId: string): Promise<SummaryRow[]>;
  /** Every conversation of the tenant, for its data export (Art. 15/20). */
  all(tenantId: string): Promise<ConversationDoc[]>;
  /** Id, platform and transitions of every conversation, for rebuilding the insights figures. */
  histories(tenantId: string): Promise<ConversationHistory[]>;
  /** Deletes every conversation of the tenant; returns how many went. */
  forgetTenant(tenantId: string): Promise<number>;
  /** Deletes the conversations of one contact, or one conversation; returns how many went. */
  forgetSubject(tenantId: string, subject: ConversationSubject): Promise<number>;
}

const summaryRowSchema = z.looseObject({
  channelId: z.string(),
  platform: z.enum(['messenger', 'instagram']),
  state: z.enum(['bot', 'human', 'paused', 'restricted']),
  pausedUntil: z.string().optional(),
  inboundCount: z.number().optional(),
  unread: z.number(),
  readBy: z.record(z.string(), z.number()).optional(),
  assignee: z.string().optional(),
});

const historySchema = z.looseObject({
  id: z.string(),
  platform: z.enum(['messenger', 'instagram']),
  transitions: conversationDocSchema.shape.transitions,
});
export type ConversationHistory = z.infer<typeof historySchema>;

/** The list query, kept as it was so page tokens issued before stay valid. */
function listQuery(filter: ConversationFilter): { query: string; parameters: Array<{ name: string; value: string }> } {
  const where: string[] = ['c.tenantId = @tenantId', "c.type = 'conversation'"];
  const parameters: Array<{ name: string; value: string }> = [];
  if (filter.state) {
    where.push('c.state = @state');
    parameters.push({ name: '@state', value: filter.state });
  }
  if (filter.channelId) {
    where.push('c.channelId = @channelId');
    parameters.push({ name: '@channelId', value: filter.channelId });
  }
  if (filter.unread) {
    // Per member: inbound count (older documents: the old counter) against what this member marked read.
    where.push(
      `(IS_DEFINED(c.inboundCount) ? c.inboundCount : c.unread) ${filter.unread.unread ? '>' : '<='} (IS_DEFINED(c.readBy[@member]) ? c.readBy[@member] : 0)`,
    );
    parameters.push({ name: '@member', value: filter.unread.memberKey });
  }
  if (filter.assignee === null) where.push('NOT IS_DEFINED(c.assignee)');
  else if (filter.assignee !== undefined) {
    where.push('c.assignee = @assignee');
    parameters.push({ name: '@assignee', value: filter.assignee });
  }
  if (filter.updatedSince) {
    where.push('c.updatedAt >= @since');
    parameters.push({ name: '@since', value: filter.updatedSince });
  }
  return { query: `SELECT * FROM c WHERE ${where.join(' AND ')} ORDER BY c.updatedAt DESC`, parameters };
}

export function cosmosConversationRepository(cosmos: CosmosStore): ConversationRepository {
  const container = () => cosmos.container('conversations');
  const query = async (tenantId: string, where: string, parameters: Array<{ name: string; value: string }>) => {
    const { resources } = await container()
      .items.query(
        {
          query: `SELECT * FROM c WHERE c.tenantId = @t AND c.type = 'conversation'${where}`,
          parameters: [{ name: '@t', value: tenantId }, ...parameters],
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return parseAllStored(conversationDocSchema, NAME, resources);
  };
  return {
    get: (tenantId, id) => readValidated(container(), conversationDocSchema, NAME, id, tenantId),
    createOnce: (tenantId, doc) => createInTenant(container(), tenantId, doc),
    update: (tenantId, id, change) =>
      updateValidated(container(), conversationDocSchema, NAME, id, tenantId, (current) => {
        const next = change(current);
        if (next) assertTenant(tenantId, next);
        return next;
      }),
    async setLastOutboundAt(tenantId, id, at) {
      await container()
        .item(id, tenantId)
        .patch([{ op: 'set', path: '/lastOutboundAt', value: at }]);
    },
    ofContact: (tenantId, contactId) => query(tenantId, ' AND c.contactId = @id', [{ name: '@id', value: contactId }]),
    async list(tenantId, filter, page) {
      const { query: text, parameters } = listQuery(filter);
      const result = await queryPage<unknown>(container(), {
        secret: page.secret,
        kind: page.kind,
        tenantId,
        query: text,
        parameters,
        limit: page.limit,
        token: page.token,
      });
      return { ...result, items: parseAllStored(conversationDocSchema, NAME, result.items) };
    },
    async summaryRows(tenantId) {
      const { resources } = await container()
        .items.query(
          {
            query:
              "SELECT c.channelId, c.platform, c.state, c.pausedUntil, c.inboundCount, c.unread, c.readBy, c.assignee FROM c WHERE c.tenantId = @t AND c.type = 'conversation'",
            parameters: [{ name: '@t', value: tenantId }],
          },
          { partitionKey: tenantId },
        )
        .fetchAll();
      return parseAllStored(summaryRowSchema, NAME, resources);
    },
    all: (tenantId) => query(tenantId, '', []),
    async histories(tenantId) {
      // One page: the embedded Cosmos server re-runs a query from the start for every continuation page.
      const { resources } = await container()
        .items.query(
          {
            query: "SELECT c.id, c.platform, c.transitions FROM c WHERE c.tenantId = @t AND c.type = 'conversation'",
            parameters: [{ name: '@t', value: tenantId }],
          },
          { partitionKey: tenantId, maxItemCount: 100_000 },
        )
        .fetchAll();
      return parseAllStored(historySchema, NAME, resources);
    },
    async forgetTenant(tenantId) {
      return deleteIds(container(), tenantId, await idsWhere(container(), tenantId));
    },
    async forgetSubject(tenantId, subject) {
      if ('conversationId' in subject) return deleteIds(container(), tenantId, [subject.conversationId]);
      const ids = await idsWhere(container(), tenantId, ' AND c.contactId = @contactId', [
        { name: '@contactId', value: subject.contactId },
      ]);
      return deleteIds(container(), tenantId, ids);
    },
  };
}

/** Pure: whether a conversation passes the inbox filters (the memory twin of listQuery). */
function matches(c: ConversationDoc, filter: ConversationFilter): boolean {
  if (filter.state && c.state !== filter.state) return false;
  if (filter.channelId && c.channelId !== filter.channelId) return false;
  if (filter.unread) {
    const unread = (c.inboundCount ?? c.unread) > (c.readBy?.[filter.unread.memberKey] ?? 0);
    if (unread !== filter.unread.unread) return false;
  }
  if (filter.assignee === null && c.assignee !== undefined) return false;
  if (filter.assignee && c.assignee !== filter.assignee) return false;
  if (filter.updatedSince && c.updatedAt < filter.updatedSince) return false;
  return true;
}

/** In memory, for unit tests of use-cases: the same answers as the Cosmos version. */
export function memoryConversationRepository(table = new MemoryTable<ConversationDoc>()): ConversationRepository {
  return {
    ...memoryTenantDocs(table, conversationDocSchema, NAME),
    async setLastOutboundAt(tenantId, id, at) {
      const current = table.get(tenantId, id);
      if (!current) throw Object.assign(new Error('Not found'), { code: 404 });
      table.put(tenantId, { ...current, lastOutboundAt: at });
    },
    ofContact: async (tenantId, contactId) => table.list(tenantId, (c) => c.contactId === contactId),
    async list(tenantId, filter, page) {
      const rows = table
        .list(tenantId, (c) => matches(c, filter))
        .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
      return memoryPage(rows, tenantId, JSON.stringify(filter), page);
    },
    summaryRows: async (tenantId) => table.list(tenantId),
    all: async (tenantId) => table.list(tenantId),
    histories: async (tenantId) =>
      table.list(tenantId).map((c) => ({ id: c.id, platform: c.platform, transitions: c.transitions })),
    forgetTenant: async (tenantId) => table.deleteWhere(tenantId),
    forgetSubject: async (tenantId, subject) =>
      table.deleteWhere(tenantId, (c) =>
        'conversationId' in subject ? c.id === subject.conversationId : c.contactId === subject.contactId,
      ),
  };
}

const repositories = new WeakMap<CosmosStore, ConversationRepository>();

/** The Cosmos repository of a runtime's store, built once per store. */
export function conversationRepository(rt: { cosmos: CosmosStore }): ConversationRepository {
  let repo = repositories.get(rt.cosmos);
  if (!repo) {
    repo = cosmosConversationRepository(rt.cosmos);
    repositories.set(rt.cosmos, repo);
  }
  return repo;
}
