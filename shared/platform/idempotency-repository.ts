import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import type { CosmosStore } from './cosmos.js';
import { deleteItems, sweepWhere } from './delete-items.js';
import { createOnce } from './document-store.js';
import { MemoryTable, parseStored } from './repository.js';

/**
 * An idempotency record in the dedup container: ids, hashes and times only (§9). The first answer may quote
 * what was sent (a reply's text), so it is kept only sealed with a key derived from the caller's
 * Idempotency-Key, which is never stored: the record is unreadable to us, a backup or a leak, and
 * only a repeat of the same request can open it. It expires after one day; erasure deletes the
 * tenant's records as well (shared/privacy/erase.ts).
 */
const idempotencyDocSchema = z.looseObject({
  id: z.string(),
  type: z.literal('idempotency'),
  state: z.enum(['pending', 'done']),
  /** The tenant (or `sub:<hash>` of a signed-up person) the key belongs to, so erasure can find its records. */
  scope: z.string(),
  /** Hash of the route, path, query and body, so a key reused for another request is refused. */
  requestHash: z.string(),
  /** AES-256-GCM of the first answer as JSON: iv.tag.ciphertext, base64url. */
  sealed: z.string().optional(),
  createdAt: z.string(),
  /** Seconds: the first answer is kept one day, not the container's seven. */
  ttl: z.number(),
});
export type IdempotencyDoc = z.infer<typeof idempotencyDocSchema>;

/**
 * Idempotency records in the platform's `dedup` container, which is platform-wide and keyed by /id;
 * a record's `scope` names the tenant (or signed-up person) it belongs to.
 */
export interface IdempotencyRepository {
  /** Claims a key; false when a record with that id exists already. */
  claim(record: IdempotencyDoc): Promise<boolean>;
  get(id: string): Promise<IdempotencyDoc | undefined>;
  /** Stores the finished record over the claim. */
  complete(record: IdempotencyDoc): Promise<void>;
  /** Releases a claim so the request can be retried; a record already gone is fine. */
  release(id: string): Promise<void>;
  /** Deletes every record of a scope (a tenant id, or `sub:<hash>`); returns the count. */
  forgetTenant(scope: string): Promise<number>;
}

/** The repository over a dedup container client (erasure still hands one in). */
export function idempotencyRepositoryOn(container: Container): IdempotencyRepository {
  return {
    claim: (record) => createOnce(container, record),
    async get(id) {
      const { resource } = await container.item(id, id).read();
      return resource ? parseStored(idempotencyDocSchema, 'dedup', resource) : undefined;
    },
    async complete(record) {
      await container.item(record.id, record.id).replace(record);
    },
    async release(id) {
      await container
        .item(id, id)
        .delete()
        .catch(() => undefined);
    },
    async forgetTenant(scope) {
      const { resources } = await container.items
        .query<{ id: string }>({
          query: "SELECT c.id FROM c WHERE c.type = 'idempotency' AND c.scope = @s",
          parameters: [{ name: '@s', value: scope }],
        })
        .fetchAll();
      await deleteItems(
        container,
        resources.map(({ id }) => ({ id, pk: id })),
      );
      return resources.length;
    },
  };
}

export function cosmosIdempotencyRepository(cosmos: CosmosStore): IdempotencyRepository {
  return idempotencyRepositoryOn(cosmos.container('dedup'));
}

/** The same behaviour on memory. */
export function memoryIdempotencyRepository(): IdempotencyRepository {
  const table = new MemoryTable<IdempotencyDoc>();
  const ids = new Set<string>();
  return {
    async claim(record) {
      ids.add(record.id);
      return table.create(record.id, record);
    },
    get: async (id) => table.get(id, id),
    async complete(record) {
      table.put(record.id, record);
    },
    async release(id) {
      table.delete(id, id);
    },
    async forgetTenant(scope) {
      let n = 0;
      for (const id of ids) n += table.deleteWhere(id, (d) => d.scope === scope);
      return n;
    },
  };
}

/**
 * The dedup container's own expiry, for every kind of short-lived key it holds (sent e-mails,
 * processed Stripe events, pending opt-ins, idempotency records). The embedded Cosmos server has
 * no TTL and Azure's is best effort, so the purge expires them too.
 */
export async function sweepDedup(
  cosmos: CosmosStore,
  cuts: { transient: string; idempotency: string },
  dryRun: boolean,
): Promise<number> {
  const container = cosmos.container('dedup');
  return (
    (await sweepWhere(
      container,
      '(c.sentAt < @cut OR c.processedAt < @cut OR c.at < @cut)',
      [{ name: '@cut', value: cuts.transient }],
      '.id',
      dryRun,
    )) +
    (await sweepWhere(
      container,
      "c.type = 'idempotency' AND c.createdAt < @cut",
      [{ name: '@cut', value: cuts.idempotency }],
      '.id',
      dryRun,
    ))
  );
}
