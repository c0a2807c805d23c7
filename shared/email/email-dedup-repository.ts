import { z } from 'zod';
import type { CosmosStore } from '../platform/cosmos.js';
import { deleteItem } from '../platform/delete-items.js';
import { createOnce } from '../platform/document-store.js';
import { MemoryTable, parseStored } from '../platform/repository.js';

const CONTAINER = 'dedup';

/** What the dedup container remembers of an email: the key, its state and when, never the address or text. */
const sentRecordSchema = z.looseObject({
  id: z.string(),
  type: z.literal('email-sent'),
  status: z.enum(['sending', 'sent']),
  template: z.string(),
  claimedAt: z.string(),
  sentAt: z.string().optional(),
  ttl: z.number(),
});
export type SentRecord = z.infer<typeof sentRecordSchema>;

/** A subscription waiting for the person to confirm it from their mailbox; it expires on its own (ttl). */
const pendingOptinSchema = z.looseObject({
  id: z.string(),
  type: z.literal('optin-pending'),
  email: z.string(),
  source: z.string(),
  requestedAt: z.string(),
  expiresAt: z.string(),
  ttl: z.number(),
});
export type PendingOptinDoc = z.infer<typeof pendingOptinSchema>;

/** The dedup id of an email's send record. */
export const sentRecordId = (key: string) => `email:${key}`;
/** The dedup id of a pending subscription, named by the nonce its confirmation link carries. */
export const pendingOptinId = (nonce: string) => `optin:${nonce}`;

/**
 * The email slice's records in the platform's `dedup` container, which is platform-wide and keyed
 * by /id. Send records name no tenant or person; a pending subscription holds an address for at
 * most 48 hours (its ttl), then Cosmos drops it, so neither needs a forgetTenant here.
 */
export interface EmailDedupRepository {
  /** Claims the send of an email; false when a record for that key exists already. */
  claimSend(record: SentRecord): Promise<boolean>;
  getSend(key: string): Promise<SentRecord | undefined>;
  putSend(record: SentRecord): Promise<void>;
  /** Drops a claim so a retry may send; a record already gone is fine. */
  releaseSend(key: string): Promise<void>;
  addPendingOptin(pending: PendingOptinDoc): Promise<void>;
  /**
   * Takes a pending subscription, once: it is read and deleted, and of two callers racing only the one
   * whose delete succeeds gets it. Undefined when there is none (used, expired or never made).
   */
  takePendingOptin(nonce: string): Promise<PendingOptinDoc | undefined>;
}

export function cosmosEmailDedupRepository(cosmos: CosmosStore): EmailDedupRepository {
  const container = cosmos.container('dedup');
  const read = async (id: string) => (await container.item(id, id).read()).resource as unknown;
  return {
    claimSend: (record) => createOnce(container, record),
    async getSend(key) {
      const doc = await read(sentRecordId(key));
      return doc ? parseStored(sentRecordSchema, CONTAINER, doc) : undefined;
    },
    async putSend(record) {
      await container.items.upsert(record);
    },
    async releaseSend(key) {
      await container
        .item(sentRecordId(key), sentRecordId(key))
        .delete()
        .catch(() => undefined);
    },
    async addPendingOptin(pending) {
      await container.items.create(pending);
    },
    async takePendingOptin(nonce) {
      const id = pendingOptinId(nonce);
      const doc = await read(id);
      if (!doc) return undefined;
      const pending = parseStored(pendingOptinSchema, CONTAINER, doc);
      return (await deleteItem(container, id, id)) ? pending : undefined;
    },
  };
}

/** The same behaviour on memory. */
export function memoryEmailDedupRepository(): EmailDedupRepository {
  const table = new MemoryTable<SentRecord | PendingOptinDoc>();
  const sent = (key: string) => table.get(sentRecordId(key), sentRecordId(key)) as SentRecord | undefined;
  return {
    claimSend: async (record) => table.create(record.id, record),
    getSend: async (key) => sent(key),
    async putSend(record) {
      table.put(record.id, record);
    },
    async releaseSend(key) {
      table.delete(sentRecordId(key), sentRecordId(key));
    },
    async addPendingOptin(pending) {
      if (!table.create(pending.id, pending)) throw Object.assign(new Error('Conflict'), { code: 409 });
    },
    async takePendingOptin(nonce) {
      const id = pendingOptinId(nonce);
      const doc = table.get(id, id);
      return doc && table.delete(id, id) ? parseStored(pendingOptinSchema, CONTAINER, doc) : undefined;
    },
  };
}
