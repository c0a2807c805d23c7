import type { Container, SqlParameter } from '@azure/cosmos';
import { z } from 'zod';

/** Query parameters every list route takes. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  continuationToken: z.string().max(4000).optional().describe('From the previous page; absent for the first page'),
};

/** One page of a list, with the token for the next one. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), continuationToken: z.string().optional() });
}

/** Runs a query in one tenant's partition, one page at a time, with Cosmos continuation tokens. */
export async function queryPage<T>(container: Container, tenantId: string, query: string, parameters: SqlParameter[], limit: number, continuationToken?: string): Promise<{ items: T[]; continuationToken?: string }> {
  const iterator = container.items.query<T>({ query, parameters: [{ name: '@tenantId', value: tenantId }, ...parameters] }, { partitionKey: tenantId, maxItemCount: limit, ...(continuationToken ? { continuationToken } : {}) });
  const page = await iterator.fetchNext();
  return { items: page.resources, ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) };
}
