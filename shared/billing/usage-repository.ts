import type { CosmosStore } from '../platform/cosmos.js';
import { createOnce } from '../platform/document-store.js';
import { MemoryTable, parseStored } from '../platform/repository.js';
import { type UsageDoc, usageDocSchema } from './documents.js';

const CONTAINER = 'usage';
/** Lost races in a row before the job gives up and is retried (with a growing random wait between them). */
const CLAIM_ATTEMPTS = 40;

export type UsageDelta = { replies?: number; handoffs?: number; inputTokens?: number; outputTokens?: number };

export function usageId(month: string): string {
  return `usage-${month}`;
}

export function emptyUsage(tenantId: string, month: string, at: Date): UsageDoc {
  return {
    id: usageId(month),
    tenantId,
    type: 'usage',
    month,
    replies: 0,
    handoffs: 0,
    inputTokens: 0,
    outputTokens: 0,
    updatedAt: at.toISOString(),
  };
}

/** The `usage` container: one document per tenant and calendar month (UTC) of metered use. */
export interface UsageRepository {
  /** Adds to the month's meters (atomic increments), creating the month's document on first use. */
  add(tenantId: string, month: string, delta: UsageDelta, at: Date): Promise<void>;
  /**
   * Counts one answer if the month is under `limit`, in one conditional write, so concurrent replies
   * never pass the quota. Returns the month's count after the claim, or undefined when it is full.
   */
  claimReply(tenantId: string, month: string, limit: number, at: Date): Promise<number | undefined>;
  /** The month's meters, undefined when nothing was recorded. */
  get(tenantId: string, month: string): Promise<UsageDoc | undefined>;
  /** Deletes every month of the tenant; returns how many went. */
  forgetTenant(tenantId: string): Promise<number>;
}

export function cosmosUsageRepository(cosmos: CosmosStore): UsageRepository {
  const container = () => cosmos.container(CONTAINER);
  return {
    async add(tenantId, month, delta, at) {
      const ops = [
        { op: 'incr' as const, path: '/replies', value: delta.replies ?? 0 },
        { op: 'incr' as const, path: '/handoffs', value: delta.handoffs ?? 0 },
        { op: 'incr' as const, path: '/inputTokens', value: delta.inputTokens ?? 0 },
        { op: 'incr' as const, path: '/outputTokens', value: delta.outputTokens ?? 0 },
        { op: 'set' as const, path: '/updatedAt', value: at.toISOString() },
      ];
      // The month's document usually exists: patch first, create it only on the month's first reply.
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await container().item(usageId(month), tenantId).patch(ops);
          return;
        } catch (error) {
          if ((error as { code?: number }).code !== 404) throw error;
          await createOnce<UsageDoc>(container(), emptyUsage(tenantId, month, at));
        }
      }
    },
    async claimReply(tenantId, month, limit, at) {
      const item = container().item(usageId(month), tenantId);
      const ops = [
        { op: 'incr' as const, path: '/replies', value: 1 },
        { op: 'set' as const, path: '/updatedAt', value: at.toISOString() },
      ];
      // Read, then write only if nobody wrote in between (the ETag); a lost race waits a little and reads again.
      // (A filter-predicate patch would need no read, but the embedded server reads its condition across partitions.)
      for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
        const { resource } = await item.read<UsageDoc>();
        if (!resource) {
          await createOnce<UsageDoc>(container(), emptyUsage(tenantId, month, at));
          continue;
        }
        if (resource.replies >= limit) return undefined;
        try {
          const { resource: after } = await item.patch<UsageDoc>(ops, {
            accessCondition: { type: 'IfMatch', condition: resource._etag },
          });
          return after?.replies ?? resource.replies + 1;
        } catch (error) {
          if ((error as { code?: number }).code !== 412) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * 2 ** attempt)));
        }
      }
      throw new Error(`usage of ${month} kept changing; the reply job is retried`);
    },
    async get(tenantId, month) {
      const { resource } = await container().item(usageId(month), tenantId).read();
      return resource ? (parseStored(usageDocSchema, CONTAINER, resource) as unknown as UsageDoc) : undefined;
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
      for (const { id } of resources) {
        try {
          await container().item(id, tenantId).delete();
          deleted++;
        } catch (error) {
          if ((error as { code?: number }).code !== 404) throw error;
        }
      }
      return deleted;
    },
  };
}

/** The same container in memory, for unit tests of the use-cases. */
export function memoryUsageRepository(table = new MemoryTable<UsageDoc>()): UsageRepository {
  return {
    async add(tenantId, month, delta, at) {
      const current = table.get(tenantId, usageId(month)) ?? emptyUsage(tenantId, month, at);
      table.put(tenantId, {
        ...current,
        replies: current.replies + (delta.replies ?? 0),
        handoffs: current.handoffs + (delta.handoffs ?? 0),
        inputTokens: current.inputTokens + (delta.inputTokens ?? 0),
        outputTokens: current.outputTokens + (delta.outputTokens ?? 0),
        updatedAt: at.toISOString(),
      });
    },
    async claimReply(tenantId, month, limit, at) {
      const current = table.get(tenantId, usageId(month)) ?? emptyUsage(tenantId, month, at);
      if (current.replies >= limit) return undefined;
      table.put(tenantId, { ...current, replies: current.replies + 1, updatedAt: at.toISOString() });
      return current.replies + 1;
    },
    async get(tenantId, month) {
      return table.get(tenantId, usageId(month));
    },
    async forgetTenant(tenantId) {
      return table.deleteWhere(tenantId);
    },
  };
}
