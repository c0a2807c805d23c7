import type { CosmosStore } from '../platform/cosmos.js';
import { deleteItems, idsOfTenant, sweepWhere } from '../platform/delete-items.js';
import { queryPage } from '../platform/paging.js';
import { MemoryTable, parseAllStored } from '../platform/repository.js';
import { type AuditDoc, auditDocSchema, type StoredAuditDoc } from './audit-doc.js';

const CONTAINER = 'audit';

/** Which page of a tenant's log to read; tokens are signed with `secret` and only open on list `kind`. */
export interface AuditPageRequest {
  secret: string;
  kind: string;
  limit: number;
  token?: string;
}

/**
 * The `audit` container, one partition per tenant (`_platform` for staff actions). Entries name
 * people only by keyed hashes, so erasing a person leaves them; only a tenant's erasure removes them.
 */
export interface AuditRepository {
  append(entry: AuditDoc): Promise<void>;
  /** One page of the tenant's entries, newest first. */
  page(tenantId: string, request: AuditPageRequest): Promise<{ items: StoredAuditDoc[]; continuationToken?: string }>;
  forgetTenant(tenantId: string): Promise<number>;
}

export function cosmosAuditRepository(cosmos: CosmosStore): AuditRepository {
  const container = cosmos.container('audit');
  return {
    async append(entry) {
      await container.items.create(entry);
    },
    async page(tenantId, request) {
      const page = await queryPage<unknown>(container, {
        ...request,
        tenantId,
        query: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'audit' ORDER BY c.at DESC",
      });
      return { ...page, items: parseAllStored(auditDocSchema, CONTAINER, page.items) };
    },
    forgetTenant: async (tenantId) => deleteItems(container, await idsOfTenant(container, tenantId)),
  };
}

/** The same behaviour on memory; its page tokens are plain offsets, not signed. */
export function memoryAuditRepository(): AuditRepository {
  const table = new MemoryTable<AuditDoc>();
  return {
    async append(entry) {
      if (!table.create(entry.tenantId, entry)) throw Object.assign(new Error('Conflict'), { code: 409 });
    },
    async page(tenantId, request) {
      const all = parseAllStored(auditDocSchema, CONTAINER, table.list(tenantId)).sort((a, b) =>
        b.at.localeCompare(a.at),
      );
      const from = Number(request.token ?? 0);
      const next = from + request.limit;
      return {
        items: all.slice(from, next),
        ...(next < all.length ? { continuationToken: String(next) } : {}),
      };
    },
    forgetTenant: async (tenantId) => table.deleteWhere(tenantId),
  };
}

/** §9 Logs: removes audit entries older than `cut`, in every tenant. */
export function sweepAuditBefore(cosmos: CosmosStore, cut: string, dryRun: boolean): Promise<number> {
  return sweepWhere(
    cosmos.container(CONTAINER),
    "c.type = 'audit' AND c.at < @cut",
    [{ name: '@cut', value: cut }],
    '.tenantId',
    dryRun,
  );
}
