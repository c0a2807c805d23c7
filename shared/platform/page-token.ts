import { createHmac, timingSafeEqual } from 'node:crypto';
import { HttpProblem } from './problem.js';

/**
 * Opaque page tokens. A list route never hands out a store's own cursor (a Cosmos continuation,
 * a timestamp): it hands out `<body>.<mac>`, where body is base64url JSON `{ p: payload }` and mac
 * is an HMAC-SHA256 over the kind of list, the tenant and the body. So a token only opens on the
 * list and tenant that issued it, and nothing a caller types reaches the store unchecked.
 *
 * `kind` names the list (and may add what scopes it further, such as a conversation id); the
 * payload is any JSON value the list needs to resume.
 */

/** Why a token was refused; the HTTP answer is the same 400 for each, the reason is for logs and tests. */
export type PageTokenFailure = 'malformed' | 'forged' | 'stale';

/** A refused page token: a 400 problem the HTTP wrapper answers as it is. */
export class PageTokenError extends HttpProblem {
  constructor(
    readonly reason: PageTokenFailure,
    field = 'query.continuationToken',
  ) {
    super(
      400,
      'invalid-page-token',
      'The page token is not valid',
      reason === 'stale'
        ? 'The page token belongs to a different query or has expired; start again from the first page.'
        : 'Use the continuationToken of a previous page of this same list, unchanged; or leave it out for the first page.',
      [{ field, message: 'not a page token of this list' }],
    );
    this.name = 'PageTokenError';
  }
}

/** Longest token accepted; longer input is refused before any decoding work. */
export const PAGE_TOKEN_MAX_CHARS = 8000;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function mac(secret: string, kind: string, tenantId: string, body: string): Buffer {
  // Length-prefixed fields, so no two (kind, tenant) pairs can produce the same MAC input.
  return createHmac('sha256', secret)
    .update(`aliat-page-token/v1|${kind.length}:${kind}|${tenantId.length}:${tenantId}|${body}`)
    .digest();
}

/** Wraps a payload into a token that only `openPageToken` with the same secret, kind and tenant accepts. */
export function sealPageToken(secret: string, kind: string, tenantId: string, payload: unknown): string {
  const body = Buffer.from(JSON.stringify({ p: payload }), 'utf8').toString('base64url');
  return `${body}.${mac(secret, kind, tenantId, body).toString('base64url')}`;
}

/** Returns the payload of a token issued for this kind and tenant; throws `PageTokenError` otherwise. */
export function openPageToken(secret: string, kind: string, tenantId: string, token: string): unknown {
  if (token.length > PAGE_TOKEN_MAX_CHARS) throw new PageTokenError('malformed');
  const parts = token.split('.');
  const [body, signature] = parts;
  if (parts.length !== 2 || !body || !signature || !BASE64URL.test(body) || !BASE64URL.test(signature))
    throw new PageTokenError('malformed');
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, kind, tenantId, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new PageTokenError('forged');
  try {
    const decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { p?: unknown };
    if (decoded === null || typeof decoded !== 'object' || !('p' in decoded)) throw new Error('no payload');
    return decoded.p;
  } catch {
    // Only reachable with a valid MAC over a body we did not write: a leaked secret or a bug.
    throw new PageTokenError('malformed');
  }
}
