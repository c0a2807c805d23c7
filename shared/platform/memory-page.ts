import { openPageToken, PageTokenError, sealPageToken } from './page-token.js';

/** The page request of a list, as the in-memory repositories take it (see paging.ts for Cosmos). */
export interface ListPage {
  /** The secret that signs page tokens (settings `PAGE_TOKEN_SECRET`). */
  secret: string;
  /** Which list this is (the route name); a token only opens on the list that issued it. */
  kind: string;
  limit: number;
  token?: string;
}

/**
 * One page of an already filtered and ordered list, for in-memory repositories: the same signed
 * tokens as queryPage, carrying an offset and the filters they belong to.
 */
export function memoryPage<T>(
  rows: T[],
  tenantId: string,
  filters: string,
  page: ListPage,
): { items: T[]; continuationToken?: string } {
  let offset = 0;
  if (page.token !== undefined) {
    const payload = openPageToken(page.secret, page.kind, tenantId, page.token) as { o?: unknown; q?: unknown } | null;
    if (typeof payload?.o !== 'number') throw new PageTokenError('malformed');
    if (payload.q !== filters) throw new PageTokenError('stale');
    offset = payload.o;
  }
  const items = rows.slice(offset, offset + page.limit);
  const next = offset + page.limit < rows.length;
  return {
    items,
    ...(next
      ? { continuationToken: sealPageToken(page.secret, page.kind, tenantId, { o: offset + page.limit, q: filters }) }
      : {}),
  };
}
