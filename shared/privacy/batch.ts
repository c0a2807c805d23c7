import type { Container } from '@azure/cosmos';

/** How many deletes run at once: enough to be quick, few enough to leave throughput for live traffic. */
export const DELETE_CONCURRENCY = 8;

/**
 * Deletes documents with bounded concurrency. A missing document counts as deleted (idempotent);
 * 429s are retried by the SDK with its own backoff, and once more here after the suggested wait.
 */
export async function deleteDocs(
  container: Container,
  docs: Array<{ id: string; pk: string }>,
  concurrency = DELETE_CONCURRENCY,
): Promise<number> {
  let next = 0;
  let deleted = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, docs.length) }, async () => {
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
    }),
  );
  return deleted;
}

/** Ids (and partition keys) of every document in one tenant partition of a container. */
export async function idsInPartition(
  container: Container,
  tenantId: string,
  where = '',
  parameters: Array<{ name: string; value: string }> = [],
): Promise<Array<{ id: string; pk: string }>> {
  const { resources } = await container.items
    .query<{ id: string }>(
      {
        query: `SELECT c.id FROM c WHERE c.tenantId = @tenantId ${where}`,
        parameters: [{ name: '@tenantId', value: tenantId }, ...parameters],
      },
      { partitionKey: tenantId },
    )
    .fetchAll();
  return resources.map((r) => ({ id: r.id, pk: tenantId }));
}
