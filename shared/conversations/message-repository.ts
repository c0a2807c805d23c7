import type { SqlParameter } from '@azure/cosmos';
import { z } from 'zod';
import type { CosmosStore } from '../platform/cosmos.js';
import { deleteIds, idsWhere } from '../platform/delete-items.js';
import { createInTenant, readValidated, updateValidated } from '../platform/document-store.js';
import { type ListPage, memoryPage } from '../platform/memory-page.js';
import { queryPage } from '../platform/paging.js';
import { assertTenant, MemoryTable, memoryTenantDocs, parseAllStored, parseStored } from '../platform/repository.js';
import { type AttachmentRef, type MessageDoc, type MessageStatus, messageDocSchema } from './documents.js';

const NAME = 'messages';

/** Conditions on the messages of one conversation; all that are given must hold. */
export interface MessageQuery {
  direction?: 'in' | 'out';
  statusIn?: MessageStatus[];
  mid?: string;
  text?: string;
  /** Leave this message out. */
  notId?: string;
  /** Timestamp strictly after (ms). */
  after?: number;
  /** Timestamp at or before (ms). */
  upTo?: number;
}

/** One side of a page of messages: strictly after or before a (time, id) cursor. */
export interface MessageWindow {
  after?: { t: number; i: string };
  before?: { t: number; i: string };
  /** Only messages at exactly this time (the ties at a page's edge). */
  at?: number;
  order: 'ASC' | 'DESC';
  top?: number;
}

/** The newest message of a conversation, as an inbox row shows it. */
const messagePreviewSchema = z.looseObject({
  id: z.string(),
  direction: z.enum(['in', 'out']),
  author: z.enum(['bot', 'human', 'meta_inbox']).optional(),
  timestamp: z.number(),
  text: z.string().optional(),
  attachments: z.array(z.looseObject({ type: z.string() })).optional(),
});
export type MessagePreview = z.infer<typeof messagePreviewSchema>;

/** A search hit. */
const messageHitSchema = z.looseObject({
  id: z.string(),
  conversationId: z.string(),
  direction: z.enum(['in', 'out']),
  text: z.string().optional(),
  timestamp: z.number(),
});
export type MessageHit = z.infer<typeof messageHitSchema>;

/** What a message contributes to the insights figures. */
const messageFiguresSchema = z.looseObject({
  id: z.string(),
  conversationId: z.string(),
  direction: z.enum(['in', 'out']),
  author: z.enum(['bot', 'human', 'meta_inbox']).optional(),
  status: messageDocSchema.shape.status,
  timestamp: z.number(),
  outbound: messageDocSchema.shape.outbound,
  handoffReason: z.string().optional(),
});
export type MessageFigures = z.infer<typeof messageFiguresSchema>;

/** Whom a subject deletion is about: one conversation's messages, one contact's, or one message. */
export type MessageSubject = { conversationId: string } | { contactId: string } | { messageId: string };

/** The `messages` container, partitioned by tenant. */
export interface MessageRepository {
  get(tenantId: string, id: string): Promise<MessageDoc | undefined>;
  /** Creates a message; false when it already exists (a redelivery, or a retried reply). */
  createOnce(tenantId: string, doc: MessageDoc): Promise<boolean>;
  /** Read-modify-write under the etag, retried on a concurrent change; `change` returns undefined to leave it. */
  update(
    tenantId: string,
    id: string,
    change: (current: MessageDoc) => MessageDoc | undefined,
  ): Promise<MessageDoc | undefined>;
  /** Records the attachment copies without reading first. */
  setAttachments(tenantId: string, id: string, attachments: AttachmentRef[]): Promise<void>;
  /** Moves a sent message to delivered or read at a watermark, without reading first. */
  setProgress(tenantId: string, id: string, status: 'delivered' | 'read', watermark: number): Promise<void>;
  /** Messages of one conversation matching `where`, oldest first. */
  inConversation(tenantId: string, conversationId: string, where?: MessageQuery): Promise<MessageDoc[]>;
  /** The messages of one conversation in a window around a cursor, by time. */
  window(tenantId: string, conversationId: string, window: MessageWindow): Promise<MessageDoc[]>;
  /** The newest message of a conversation, for an inbox row. */
  latest(tenantId: string, conversationId: string): Promise<MessagePreview | undefined>;
  /** Messages whose text contains `text` (case-insensitive), newest first, a page at a time. */
  search(tenantId: string, text: string, page: ListPage): Promise<{ items: MessageHit[]; continuationToken?: string }>;
  /** Our replies that used a knowledge entry (by their lineage), newest first. */
  repliesUsingEntry(tenantId: string, entryId: string): Promise<MessageDoc[]>;
  /** Every message of the tenant, for its data export (Art. 15/20). */
  all(tenantId: string): Promise<MessageDoc[]>;
  /** The fields the insights figures are made of, for every message of the tenant. */
  figures(tenantId: string): Promise<MessageFigures[]>;
  /** Deletes one message; false when it was not there. */
  delete(tenantId: string, id: string): Promise<boolean>;
  /** Deletes every message of the tenant; returns how many went. */
  forgetTenant(tenantId: string): Promise<number>;
  /** Deletes one conversation's, one contact's or one message; returns how many went. */
  forgetSubject(tenantId: string, subject: MessageSubject): Promise<number>;
}

/** The SQL of a MessageQuery (the Cosmos twin of `matches`). */
function sqlOf(where: MessageQuery): { sql: string; parameters: SqlParameter[] } {
  const parts: string[] = [];
  const parameters: SqlParameter[] = [];
  if (where.direction) {
    parts.push('c.direction = @direction');
    parameters.push({ name: '@direction', value: where.direction });
  }
  if (where.statusIn) {
    parts.push('ARRAY_CONTAINS(@statuses, c.status)');
    parameters.push({ name: '@statuses', value: where.statusIn });
  }
  if (where.mid !== undefined) {
    parts.push('c.mid = @mid');
    parameters.push({ name: '@mid', value: where.mid });
  }
  if (where.text !== undefined) {
    parts.push('c.text = @text');
    parameters.push({ name: '@text', value: where.text });
  }
  if (where.notId !== undefined) {
    parts.push('c.id != @notId');
    parameters.push({ name: '@notId', value: where.notId });
  }
  if (where.after !== undefined) {
    parts.push('c.timestamp > @after');
    parameters.push({ name: '@after', value: where.after });
  }
  if (where.upTo !== undefined) {
    parts.push('c.timestamp <= @upTo');
    parameters.push({ name: '@upTo', value: where.upTo });
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), parameters };
}

function matches(m: MessageDoc, where: MessageQuery): boolean {
  return (
    (where.direction === undefined || m.direction === where.direction) &&
    (where.statusIn === undefined || where.statusIn.includes(m.status)) &&
    (where.mid === undefined || m.mid === where.mid) &&
    (where.text === undefined || m.text === where.text) &&
    (where.notId === undefined || m.id !== where.notId) &&
    (where.after === undefined || m.timestamp > where.after) &&
    (where.upTo === undefined || m.timestamp <= where.upTo)
  );
}

function inWindow(m: MessageDoc, w: MessageWindow): boolean {
  if (w.after && !(m.timestamp > w.after.t || (m.timestamp === w.after.t && m.id > w.after.i))) return false;
  if (w.before && !(m.timestamp < w.before.t || (m.timestamp === w.before.t && m.id < w.before.i))) return false;
  return w.at === undefined || m.timestamp === w.at;
}

export function cosmosMessageRepository(cosmos: CosmosStore): MessageRepository {
  const container = () => cosmos.container('messages');
  const run = async (tenantId: string, query: string, parameters: SqlParameter[]) =>
    (await container().items.query({ query, parameters }, { partitionKey: tenantId }).fetchAll()).resources;
  const deleteWhere = async (tenantId: string, where: string, parameters: Array<{ name: string; value: string }>) =>
    deleteIds(container(), tenantId, await idsWhere(container(), tenantId, where, parameters));
  return {
    get: (tenantId, id) => readValidated(container(), messageDocSchema, NAME, id, tenantId),
    createOnce: (tenantId, doc) => createInTenant(container(), tenantId, doc),
    update: (tenantId, id, change) =>
      updateValidated(container(), messageDocSchema, NAME, id, tenantId, (current) => {
        const next = change(current);
        if (next) assertTenant(tenantId, next);
        return next;
      }),
    async setAttachments(tenantId, id, attachments) {
      await container()
        .item(id, tenantId)
        .patch([{ op: 'set', path: '/attachments', value: attachments }]);
    },
    async setProgress(tenantId, id, status, watermark) {
      await container()
        .item(id, tenantId)
        .patch([
          { op: 'set', path: '/status', value: status },
          { op: 'set', path: status === 'read' ? '/readAt' : '/deliveredAt', value: watermark },
        ]);
    },
    async inConversation(tenantId, conversationId, where = {}) {
      const { sql, parameters } = sqlOf(where);
      const rows = await run(
        tenantId,
        `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.conversationId = @conversationId${sql} ORDER BY c.timestamp ASC`,
        [{ name: '@tenantId', value: tenantId }, { name: '@conversationId', value: conversationId }, ...parameters],
      );
      return parseAllStored(messageDocSchema, NAME, rows);
    },
    async window(tenantId, conversationId, w) {
      const parameters: SqlParameter[] = [
        { name: '@t', value: tenantId },
        { name: '@cid', value: conversationId },
      ];
      let where = '';
      const cursor = w.after ?? w.before;
      if (cursor) {
        where += w.after
          ? ' AND (c.timestamp > @ts OR (c.timestamp = @ts AND c.id > @id))'
          : ' AND (c.timestamp < @ts OR (c.timestamp = @ts AND c.id < @id))';
        parameters.push({ name: '@ts', value: cursor.t }, { name: '@id', value: cursor.i });
      }
      if (w.at !== undefined) {
        where += ' AND c.timestamp = @edge';
        parameters.push({ name: '@edge', value: w.at });
      }
      const rows = await run(
        tenantId,
        `SELECT ${w.top ? `TOP ${w.top} ` : ''}* FROM c WHERE c.tenantId = @t AND c.type = 'message' AND c.conversationId = @cid${where} ORDER BY c.timestamp ${w.order}`,
        parameters,
      );
      return parseAllStored(messageDocSchema, NAME, rows);
    },
    async latest(tenantId, conversationId) {
      const [row] = await run(
        tenantId,
        "SELECT TOP 1 c.id, c.direction, c.author, c.timestamp, c.text, c.attachments FROM c WHERE c.tenantId = @t AND c.type = 'message' AND c.conversationId = @cid ORDER BY c.timestamp DESC",
        [
          { name: '@t', value: tenantId },
          { name: '@cid', value: conversationId },
        ],
      );
      return row ? parseStored(messagePreviewSchema, NAME, row) : undefined;
    },
    async search(tenantId, text, page) {
      const result = await queryPage<unknown>(container(), {
        secret: page.secret,
        kind: page.kind,
        tenantId,
        query:
          "SELECT c.id, c.conversationId, c.direction, c.text, c.timestamp FROM c WHERE c.tenantId = @tenantId AND c.type = 'message' AND IS_STRING(c.text) AND CONTAINS(LOWER(c.text), @q) ORDER BY c.timestamp DESC",
        parameters: [{ name: '@q', value: text.toLowerCase() }],
        limit: page.limit,
        token: page.token,
      });
      return { ...result, items: parseAllStored(messageHitSchema, NAME, result.items) };
    },
    async repliesUsingEntry(tenantId, entryId) {
      const rows = await run(
        tenantId,
        "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.direction = 'out' AND ARRAY_CONTAINS(c.lineage.entryIds, @entryId) ORDER BY c.timestamp DESC",
        [
          { name: '@tenantId', value: tenantId },
          { name: '@entryId', value: entryId },
        ],
      );
      return parseAllStored(messageDocSchema, NAME, rows);
    },
    async all(tenantId) {
      const rows = await run(tenantId, 'SELECT * FROM c WHERE c.tenantId = @t', [{ name: '@t', value: tenantId }]);
      return parseAllStored(messageDocSchema, NAME, rows);
    },
    async figures(tenantId) {
      // One page: the embedded Cosmos server re-runs a query from the start for every continuation page.
      const { resources } = await container()
        .items.query(
          {
            query:
              "SELECT c.id, c.conversationId, c.direction, c.author, c.status, c.timestamp, c.outbound, c.lineage.handoffReason AS handoffReason FROM c WHERE c.tenantId = @t AND c.type = 'message'",
            parameters: [{ name: '@t', value: tenantId }],
          },
          { partitionKey: tenantId, maxItemCount: 100_000 },
        )
        .fetchAll();
      return parseAllStored(messageFiguresSchema, NAME, resources);
    },
    async delete(tenantId, id) {
      return (await deleteIds(container(), tenantId, [id])) === 1;
    },
    forgetTenant: (tenantId) => deleteWhere(tenantId, '', []),
    forgetSubject(tenantId, subject) {
      if ('messageId' in subject) return deleteIds(container(), tenantId, [subject.messageId]);
      if ('conversationId' in subject)
        return deleteWhere(tenantId, ' AND c.conversationId = @s', [{ name: '@s', value: subject.conversationId }]);
      return deleteWhere(tenantId, ' AND c.contactId = @s', [{ name: '@s', value: subject.contactId }]);
    },
  };
}

const byTime = (a: MessageDoc, b: MessageDoc) => a.timestamp - b.timestamp;

/** In memory, for unit tests of use-cases: the same answers as the Cosmos version. */
export function memoryMessageRepository(table = new MemoryTable<MessageDoc>()): MessageRepository {
  const notFound = () => Object.assign(new Error('Not found'), { code: 404 });
  const of = (tenantId: string, conversationId: string) =>
    table.list(tenantId, (m) => m.conversationId === conversationId);
  return {
    ...memoryTenantDocs(table, messageDocSchema, NAME),
    async setAttachments(tenantId, id, attachments) {
      const current = table.get(tenantId, id);
      if (!current) throw notFound();
      table.put(tenantId, { ...current, attachments });
    },
    async setProgress(tenantId, id, status, watermark) {
      const current = table.get(tenantId, id);
      if (!current) throw notFound();
      table.put(tenantId, { ...current, status, [status === 'read' ? 'readAt' : 'deliveredAt']: watermark });
    },
    inConversation: async (tenantId, conversationId, where = {}) =>
      of(tenantId, conversationId)
        .filter((m) => matches(m, where))
        .sort(byTime),
    async window(tenantId, conversationId, w) {
      const rows = of(tenantId, conversationId)
        .filter((m) => inWindow(m, w))
        .sort(byTime);
      if (w.order === 'DESC') rows.reverse();
      return w.top ? rows.slice(0, w.top) : rows;
    },
    latest: async (tenantId, conversationId) => of(tenantId, conversationId).sort(byTime).at(-1),
    async search(tenantId, text, page) {
      const q = text.toLowerCase();
      const rows = table
        .list(tenantId, (m) => typeof m.text === 'string' && m.text.toLowerCase().includes(q))
        .sort((a, b) => b.timestamp - a.timestamp);
      return memoryPage(rows, tenantId, q, page);
    },
    repliesUsingEntry: async (tenantId, entryId) =>
      table
        .list(tenantId, (m) => {
          const ids = m.lineage?.entryIds;
          return m.direction === 'out' && Array.isArray(ids) && ids.includes(entryId);
        })
        .sort((a, b) => b.timestamp - a.timestamp),
    all: async (tenantId) => table.list(tenantId),
    figures: async (tenantId) =>
      table.list(tenantId).map((m) => ({
        id: m.id,
        conversationId: m.conversationId,
        direction: m.direction,
        author: m.author,
        status: m.status,
        timestamp: m.timestamp,
        outbound: m.outbound,
        handoffReason: typeof m.lineage?.handoffReason === 'string' ? m.lineage.handoffReason : undefined,
      })),
    delete: async (tenantId, id) => table.delete(tenantId, id),
    forgetTenant: async (tenantId) => table.deleteWhere(tenantId),
    forgetSubject: async (tenantId, subject) =>
      table.deleteWhere(tenantId, (m) =>
        'messageId' in subject
          ? m.id === subject.messageId
          : 'conversationId' in subject
            ? m.conversationId === subject.conversationId
            : m.contactId === subject.contactId,
      ),
  };
}

const repositories = new WeakMap<CosmosStore, MessageRepository>();

/** The Cosmos repository of a runtime's store, built once per store. */
export function messageRepository(rt: { cosmos: CosmosStore }): MessageRepository {
  let repo = repositories.get(rt.cosmos);
  if (!repo) {
    repo = cosmosMessageRepository(rt.cosmos);
    repositories.set(rt.cosmos, repo);
  }
  return repo;
}
