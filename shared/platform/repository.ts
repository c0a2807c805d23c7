import type { z } from 'zod';

/**
 * A stored document that no longer matches its schema (hand-edited, written by an older version, or
 * damaged). Reads refuse it loudly instead of handing a half-shaped object to the rules; the id and
 * the failing fields are logged, never the values.
 */
export class CorruptDocumentError extends Error {
  constructor(
    readonly container: string,
    readonly id: string,
    readonly issues: string,
  ) {
    super(`Document ${id} in ${container} does not match its schema: ${issues}`);
    this.name = 'CorruptDocumentError';
  }
}

/** Validates a document read from a store. Schemas should be loose objects so Cosmos's own fields (_etag…) survive. */
export function parseStored<S extends z.ZodType>(schema: S, container: string, doc: unknown): z.infer<S> {
  const parsed = schema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const id = typeof (doc as { id?: unknown })?.id === 'string' ? (doc as { id: string }).id : '(no id)';
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; ');
  throw new CorruptDocumentError(container, id, issues);
}

/** Validates every document of a query answer. */
export function parseAllStored<S extends z.ZodType>(schema: S, container: string, docs: unknown[]): Array<z.infer<S>> {
  return docs.map((doc) => parseStored(schema, container, doc));
}

/**
 * The storage behind the in-memory repositories that unit tests of use-cases run on: documents
 * keyed by partition and id, copied in and out so a caller can never change what is stored
 * without writing it back, like a real store.
 */
export class MemoryTable<T extends { id: string }> {
  private readonly partitions = new Map<string, Map<string, T>>();

  get(partition: string, id: string): T | undefined {
    const doc = this.partitions.get(partition)?.get(id);
    return doc ? structuredClone(doc) : undefined;
  }

  /** Creates a document; false when one with that id already exists in the partition. */
  create(partition: string, doc: T): boolean {
    if (this.partitions.get(partition)?.has(doc.id)) return false;
    this.put(partition, doc);
    return true;
  }

  put(partition: string, doc: T): void {
    let rows = this.partitions.get(partition);
    if (!rows) {
      rows = new Map();
      this.partitions.set(partition, rows);
    }
    rows.set(doc.id, structuredClone(doc));
  }

  delete(partition: string, id: string): boolean {
    return this.partitions.get(partition)?.delete(id) ?? false;
  }

  list(partition: string, where: (doc: T) => boolean = () => true): T[] {
    return [...(this.partitions.get(partition)?.values() ?? [])].filter(where).map((doc) => structuredClone(doc));
  }

  /** Deletes every document of a partition matching `where`; returns how many went. */
  deleteWhere(partition: string, where: (doc: T) => boolean = () => true): number {
    const rows = this.partitions.get(partition);
    if (!rows) return 0;
    let n = 0;
    for (const [id, doc] of rows) {
      if (where(doc)) {
        rows.delete(id);
        n++;
      }
    }
    return n;
  }
}

/**
 * get, createOnce and update over a MemoryTable, validated and kept to one tenant exactly as the
 * Cosmos versions are (platform/validated-store.ts): the part every tenant-partitioned memory
 * repository shares.
 */
export function memoryTenantDocs<S extends z.ZodType<{ id: string; tenantId: string }>>(
  table: MemoryTable<z.infer<S>>,
  schema: S,
  container: string,
) {
  type Doc = z.infer<S>;
  return {
    get: async (tenantId: string, id: string): Promise<Doc | undefined> => table.get(tenantId, id),
    async createOnce(tenantId: string, doc: Doc): Promise<boolean> {
      assertTenant(tenantId, doc);
      return table.create(tenantId, parseStored(schema, container, doc));
    },
    async update(tenantId: string, id: string, change: (current: Doc) => Doc | undefined): Promise<Doc | undefined> {
      const current = table.get(tenantId, id);
      if (!current) return undefined;
      const next = change(current);
      if (!next) return current;
      assertTenant(tenantId, next);
      table.put(tenantId, parseStored(schema, container, next));
      return table.get(tenantId, id);
    },
  };
}

/** Refuses a document whose tenant is not the one the call is scoped to. */
export function assertTenant(tenantId: string, doc: { tenantId: string }): void {
  if (doc.tenantId !== tenantId)
    throw new Error('A document must be written to its own tenant, not under another tenant');
}
