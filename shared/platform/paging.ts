import { createHash } from 'node:crypto';
import type { Container, SqlParameter } from '@azure/cosmos';
import { z } from 'zod';
import { openPageToken, PAGE_TOKEN_MAX_CHARS, PageTokenError, sealPageToken } from './page-token.js';

/**
 * A whole-number query parameter: digits only, within bounds ("1e1", "0x10" and " 5" are refused, where
 * `z.coerce.number()` would take them), documented as the integer it is.
 */
export function wholeNumberParam(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d{1,6}$/, `a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback)
    .meta({ type: 'integer', minimum: min, maximum: max, default: fallback, pattern: undefined });
}

/** Query parameters every list route takes. */
export const pageQuery = {
  limit: wholeNumberParam(1, 100, 25),
  continuationToken: z
    .string()
    .max(PAGE_TOKEN_MAX_CHARS)
    .optional()
    .describe('Opaque token from the previous page of the same list; absent for the first page'),
};

/** One page of a list, with the token for the next one. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    continuationToken: z.string().optional().describe('Opaque; pass it back unchanged for the next page'),
  });
}

/** What a Cosmos page token carries: the store's continuation and a fingerprint of the query it continues. */
const cosmosPayload = z.object({ c: z.string().min(1), q: z.string() });

/** A short fingerprint of a query and its parameters: a token from other filters is refused as stale. */
function fingerprint(query: string, parameters: SqlParameter[]): string {
  return createHash('sha256')
    .update(query)
    .update('\0')
    .update(JSON.stringify(parameters))
    .digest('base64url')
    .slice(0, 16);
}

export interface PageRequest {
  /** The secret that signs page tokens (settings `PAGE_TOKEN_SECRET`). */
  secret: string;
  /** Which list this is (the route name); a token only opens on the list that issued it. */
  kind: string;
  tenantId: string;
  query: string;
  parameters?: SqlParameter[];
  limit: number;
  /** The caller's `continuationToken`, as received. */
  token?: string;
}

function isCosmosBadRequest(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 400;
}

/**
 * Runs a query in one tenant's partition, one page at a time. Cosmos continuation tokens travel
 * inside signed page tokens (see page-token.ts), so a caller can neither hand the store a cursor
 * of its own making nor reuse one from another list, tenant or set of filters.
 */
export async function queryPage<T>(
  container: Container,
  request: PageRequest,
): Promise<{ items: T[]; continuationToken?: string }> {
  const parameters = [{ name: '@tenantId', value: request.tenantId }, ...(request.parameters ?? [])];
  const q = fingerprint(request.query, parameters);
  let continuation: string | undefined;
  if (request.token !== undefined) {
    const payload = cosmosPayload.safeParse(
      openPageToken(request.secret, request.kind, request.tenantId, request.token),
    );
    if (!payload.success) throw new PageTokenError('malformed');
    if (payload.data.q !== q) throw new PageTokenError('stale');
    continuation = payload.data.c;
  }
  const iterator = container.items.query<T>(
    { query: request.query, parameters },
    {
      partitionKey: request.tenantId,
      maxItemCount: request.limit,
      ...(continuation ? { continuationToken: continuation } : {}),
    },
  );
  let page: Awaited<ReturnType<typeof iterator.fetchNext>>;
  try {
    page = await iterator.fetchNext();
  } catch (error) {
    // Our own signed continuation refused by the store (a changed index or store version): stale, not a fault.
    if (continuation && isCosmosBadRequest(error)) throw new PageTokenError('stale');
    throw error;
  }
  const next = page.continuationToken
    ? sealPageToken(request.secret, request.kind, request.tenantId, { c: page.continuationToken, q })
    : undefined;
  return { items: page.resources, ...(next ? { continuationToken: next } : {}) };
}
