import type { Container } from '@azure/cosmos';
import type { z } from 'zod';
import { createOnce, updateWithRetry } from './document-store.js';
import { parseStored } from './repository.js';

/** How many deletes run at once: enough to be quick, few enough to leave throughput for live traffic. */
const DELETE_CONCURRENCY = 8;

/**
 * Deletes documents with bounded concurrency, each by id and partition key. A missing document is
 * already gone and is not counted; a 429 is retried after the wait Cosmos suggests. The one batch
 * delete every repository's forgetTenant and the retention purge use.
 */
export async function deleteDocs(
  container: Container,
  docs: Array<{ id: string; pk: string }>,
  concurrency = DELETE_CONCURRENCY,
): Promise<number> {
  let next = 0;
  let deleted = 0;
  const worker = async () => {
    while (next < docs.length) {
      const doc = docs[next++] as { id: string; pk: string };
      for (let attempt = 0; ; attempt++) {
        try {
          await container.item(doc.id, doc.pk).delete();
          deleted++;
          break;
        } catch (error) {
          const e = error as { code?: number; retryAfterInMs?: number };
          if (e.code === 404) break;
          if (e.code !== 429 || attempt >= 5) throw error;
          await new Promise((resolve) => setTimeout(resolve, e.retryAfterInMs ?? 100 * 2 ** attempt));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, docs.length) }, worker));
  return deleted;
}

/** deleteDocs for documents of one partition. */
export function deleteIds(container: Container, partition: string, ids: string[]): Promise<number> {
  return deleteDocs(
    container,
    ids.map((id) => ({ id, pk: partition })),
  );
}

/** Ids of the documents of one tenant's partition matching `where` (an extra SQL condition on `c`). */
export async function idsWhere(
  container: Container,
  tenantId: string,
  where = '',
  parameters: Array<{ name: string; value: string }> = [],
): Promise<string[]> {
  const { resources } = await container.items
    .query<{ id: string }>(
      {
        query: `SELECT c.id FROM c WHERE c.tenantId = @tenantId${where}`,
        parameters: [{ name: '@tenantId', value: tenantId }, ...parameters],
      },
      { partitionKey: tenantId },
    )
    .fetchAll();
  return resources.map((r) => r.id);
}

/** Refuses a document whose tenant is not the one the call is scoped to. */
export function assertTenant(tenantId: string, doc: { tenantId: string }): void {
  if (doc.tenantId !== tenantId) throw new Error('A document was written under another tenant');
}

/** updateWithRetry (platform/document-store.ts) with the stored document validated before `change` sees it. */
export async function updateValidated<S extends z.ZodType<{ id: string }>>(
  container: Container,
  schema: S,
  name: string,
  id: string,
  partition: string,
  change: (current: z.infer<S>) => z.infer<S> | undefined,
): Promise<z.infer<S> | undefined> {
  const saved = await updateWithRetry<{ id: string; _etag?: string }>(container, id, partition, (raw) =>
    change(parseStored(schema, name, raw)),
  );
  return saved ? parseStored(schema, name, saved) : undefined;
}

/** Reads one document of a partition, validated; undefined when there is none. */
export async function readValidated<S extends z.ZodType>(
  container: Container,
  schema: S,
  name: string,
  id: string,
  partition: string,
): Promise<z.infer<S> | undefined> {
  const { resource } = await container.item(id, partition).read();
  return resource ? parseStored(schema, name, resource) : undefined;
}

/** Creates a document once (createOnce), in the tenant's partition only. */
export async function createInTenant<T extends { id: string; tenantId: string }>(
  container: Container,
  tenantId: string,
  doc: T,
): Promise<boolean> {
  assertTenant(tenantId, doc);
  return createOnce(container, doc);
}
