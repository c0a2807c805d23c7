import type { Container } from '@azure/cosmos';

/** How many deletes run at once: enough to be quick, few enough to leave throughput for live traffic. */
const DELETE_CONCURRENCY = 8;

/**
 * Deletes documents by id and partition key with bounded concurrency: the one batch delete behind
 * every repository's `forgetTenant`/`forgetSubject` and the retention purge. A missing document counts as already gone
 * and is not counted;
 * a 429 is retried after the wait Cosmos suggests.
 */
export async function deleteItems(
  container: Container,
  refs: Array<{ id: string; pk: string }>,
  concurrency = DELETE_CONCURRENCY,
): Promise<number> {
  let next = 0;
  let deleted = 0;
  const worker = async () => {
    while (next < refs.length) {
      const ref = refs[next++] as { id: string; pk: string };
      for (let attempt = 0; ; attempt++) {
        try {
          await container.item(ref.id, ref.pk).delete();
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
  await Promise.all(Array.from({ length: Math.min(concurrency, refs.length) }, worker));
  return deleted;
}

/** Ids of every document in one tenant's partition of a container. */
export async function idsOfTenant(container: Container, tenantId: string): Promise<Array<{ id: string; pk: string }>> {
  const { resources } = await container.items
    .query<{ id: string }>(
      {
        query: 'SELECT c.id FROM c WHERE c.tenantId = @tenantId',
        parameters: [{ name: '@tenantId', value: tenantId }],
      },
      { partitionKey: tenantId },
    )
    .fetchAll();
  return resources.map((r) => ({ id: r.id, pk: tenantId }));
}

/** Deletes one document; false when it was not there. */
export async function deleteItem(container: Container, id: string, pk: string): Promise<boolean> {
  try {
    await container.item(id, pk).delete();
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return false;
    throw error;
  }
}

/** deleteItems for documents of one partition. */
export function deleteIds(container: Container, partition: string, ids: string[]): Promise<number> {
  return deleteItems(
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

/** Documents fetched and deleted per batch by a sweep. */
const SWEEP_BATCH = 1000;

/**
 * A retention sweep: deletes every document a cross-partition condition finds, or only counts
 * them on a dry run. One paged pass collects ids (ids only, so memory stays small), then deletes
 * run in batches. A run that crashes resumes by running again: what is left still matches.
 * Owners call this from their repository files, so the conditions live beside the documents.
 */
export async function sweepWhere(
  container: Container,
  where: string,
  parameters: Array<{ name: string; value: string }>,
  partitionKeyPath: string,
  dryRun: boolean,
): Promise<number> {
  if (dryRun) {
    const { resources: count } = await container.items
      .query<number>({ query: `SELECT VALUE COUNT(1) FROM c WHERE ${where}`, parameters })
      .fetchAll();
    return count[0] ?? 0;
  }
  const refs: Array<{ id: string; pk: string }> = [];
  const pages = container.items.query<{ id: string; pk: string }>(
    { query: `SELECT c.id, c${partitionKeyPath} AS pk FROM c WHERE ${where}`, parameters },
    { maxItemCount: SWEEP_BATCH },
  );
  while (pages.hasMoreResults()) refs.push(...(await pages.fetchNext()).resources);
  let total = 0;
  for (let i = 0; i < refs.length; i += SWEEP_BATCH)
    total += await deleteItems(container, refs.slice(i, i + SWEEP_BATCH));
  return total;
}
