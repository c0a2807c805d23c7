import type { SearchIndex } from './search-index.js';

/** Indexes kept per instance; the least recently used tenant's index is dropped first. */
const CACHE_TENANTS = 200;
const cache = new Map<string, SearchIndex>();

/** The cached index of a tenant if it is still the built version. */
export function cachedIndex(tenantId: string, builtVersion: number): SearchIndex | undefined {
  const cached = cache.get(tenantId);
  if (!cached || cached.version !== builtVersion) return undefined;
  cache.delete(tenantId);
  cache.set(tenantId, cached);
  return cached;
}

export function cacheIndex(tenantId: string, index: SearchIndex): SearchIndex {
  cache.set(tenantId, index);
  if (cache.size > CACHE_TENANTS) cache.delete(cache.keys().next().value as string);
  return index;
}

/** Forgets a tenant's cached index (deletion). */
export function dropCachedIndex(tenantId: string): void {
  cache.delete(tenantId);
}
