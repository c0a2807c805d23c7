import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { HttpProblem } from './problem.js';

/** What a replayed answer needs. */
export interface StoredResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** An idempotency record in the dedup container (7-day TTL): who asked, for what, and the answer. */
export interface IdempotencyDoc {
  id: string;
  type: 'idempotency';
  state: 'pending' | 'done';
  /** Hash of the route, path, query and body, so a key reused for another request is refused. */
  requestHash: string;
  result?: StoredResult;
  createdAt: string;
  /** Seconds: the first answer (which may quote what was sent) is kept one day, not the container's seven. */
  ttl: number;
}

/** How long a key and its first answer are kept, in seconds. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** How long a second request waits for the first one with the same key to finish. */
const WAIT_FOR_FIRST_MS = 10_000;

/** Pure: checks an Idempotency-Key header value (printable ASCII, 1-200 characters). */
export function validIdempotencyKey(key: string): boolean {
  return /^[\x21-\x7e]{1,200}$/.test(key);
}

/** Pure: the record id, scoped to the caller (tenant or signed-up person) and the route. */
export function idempotencyId(scope: string, routeName: string, key: string): string {
  return `idem_${createHash('sha256').update(scope).update('\0').update(routeName).update('\0').update(key).digest('base64url')}`;
}

export function requestHash(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `execute` at most once per key: the first request claims the key, a repeat gets the first
 * answer again (with `idempotency-replayed: true`), a concurrent repeat waits for it, and the same
 * key with a different request is a 422. A failed first attempt releases the key so it can be retried.
 */
export async function once(container: Container, id: string, hash: string, now: Date, execute: () => Promise<StoredResult>): Promise<StoredResult> {
  const claim: IdempotencyDoc = { id, type: 'idempotency', state: 'pending', requestHash: hash, createdAt: now.toISOString(), ttl: IDEMPOTENCY_TTL_SECONDS };
  try {
    await container.items.create(claim);
  } catch (error) {
    if ((error as { code?: number }).code !== 409) throw error;
    return replay(container, id, hash);
  }
  let result: StoredResult;
  try {
    result = await execute();
  } catch (error) {
    await container.item(id, id).delete().catch(() => undefined);
    throw error;
  }
  if (result.status >= 500) {
    await container.item(id, id).delete().catch(() => undefined);
    return result;
  }
  await container.item(id, id).replace<IdempotencyDoc>({ ...claim, state: 'done', result });
  return result;
}

async function replay(container: Container, id: string, hash: string): Promise<StoredResult> {
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const { resource } = await container.item(id, id).read<IdempotencyDoc>();
    if (!resource) throw new HttpProblem(409, 'idempotency-in-progress', 'The first request with this key failed', 'Retry the request.');
    if (resource.requestHash !== hash) throw new HttpProblem(422, 'idempotency-key-reused', 'Idempotency-Key reused', 'This Idempotency-Key was used for a different request. Use a new key for a new request.');
    if (resource.state === 'done' && resource.result) return { ...resource.result, headers: { ...resource.result.headers, 'idempotency-replayed': 'true' } };
    if (Date.now() > deadline) throw new HttpProblem(409, 'idempotency-in-progress', 'A request with this key is still running', 'Retry in a moment.');
    await sleep(50);
  }
}
