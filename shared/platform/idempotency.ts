import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { IdempotencyDoc, IdempotencyRepository } from './idempotency-repository.js';
import { HttpProblem } from './problem.js';

/** What a replayed answer needs. */
export interface StoredResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
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

/**
 * Pure: the key that seals a record's answer; a different derivation from the record id, so the id does not open it.
 */
export function sealingKey(scope: string, routeName: string, key: string): Buffer {
  return createHash('sha256')
    .update('idempotency-result\0')
    .update(scope)
    .update('\0')
    .update(routeName)
    .update('\0')
    .update(key)
    .digest();
}

/** Pure: seals an answer (AES-256-GCM, random IV). */
export function seal(result: StoredResult, sealKey: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(result), 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
}

/** Pure: opens a sealed answer; undefined when the key does not fit. */
export function unseal(sealed: string, sealKey: Buffer): StoredResult | undefined {
  const [iv, tag, data] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !data) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey, iv);
    decipher.setAuthTag(tag);
    return JSON.parse(Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8')) as StoredResult;
  } catch {
    return undefined;
  }
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
export async function once(
  records: IdempotencyRepository,
  record: { id: string; scope: string; sealKey: Buffer },
  hash: string,
  now: Date,
  execute: () => Promise<StoredResult>,
): Promise<StoredResult> {
  const { id, scope, sealKey } = record;
  const claim: IdempotencyDoc = {
    id,
    type: 'idempotency',
    state: 'pending',
    scope,
    requestHash: hash,
    createdAt: now.toISOString(),
    ttl: IDEMPOTENCY_TTL_SECONDS,
  };
  if (!(await records.claim(claim))) return replay(records, id, hash, sealKey);
  let result: StoredResult;
  try {
    result = await execute();
  } catch (error) {
    await records.release(id);
    throw error;
  }
  if (result.status >= 500) {
    await records.release(id);
    return result;
  }
  await records.complete({ ...claim, state: 'done', sealed: seal(result, sealKey) });
  return result;
}

async function replay(
  records: IdempotencyRepository,
  id: string,
  hash: string,
  sealKey: Buffer,
): Promise<StoredResult> {
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const resource = await records.get(id);
    if (!resource)
      throw new HttpProblem(
        409,
        'idempotency-in-progress',
        'The first request with this key failed',
        'Retry the request.',
      );
    if (resource.requestHash !== hash)
      throw new HttpProblem(
        422,
        'idempotency-key-reused',
        'Idempotency-Key reused',
        'This Idempotency-Key was used for a different request. Use a new key for a new request.',
      );
    const result = resource.state === 'done' && resource.sealed ? unseal(resource.sealed, sealKey) : undefined;
    if (result) return { ...result, headers: { ...result.headers, 'idempotency-replayed': 'true' } };
    if (Date.now() > deadline)
      throw new HttpProblem(
        409,
        'idempotency-in-progress',
        'A request with this key is still running',
        'Retry in a moment.',
      );
    await sleep(50);
  }
}
