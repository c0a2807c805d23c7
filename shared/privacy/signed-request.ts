import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const payloadSchema = z.looseObject({
  algorithm: z.string(),
  issued_at: z.number().int(),
  user_id: z.union([z.string(), z.number()]).transform(String),
  expires: z.number().int().optional(),
});

export type SignedRequestResult =
  | { ok: true; userId: string; issuedAt: number }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'bad_algorithm' | 'expired' };

/** How old a signed request may be. Meta sends it right away; a day covers clock skew and retries. */
export const MAX_AGE_SECONDS = 24 * 3600;

function fromBase64Url(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/**
 * Pure: verifies Meta's `signed_request` (§12.3): HMAC-SHA256 with the app secret over the payload
 * segment exactly as received, constant-time compare, algorithm HMAC-SHA256, not expired.
 */
export function verifySignedRequest(signedRequest: string, appSecret: string, nowSeconds: number): SignedRequestResult {
  const dot = signedRequest.indexOf('.');
  if (dot <= 0 || dot === signedRequest.length - 1) return { ok: false, reason: 'malformed' };
  const sigPart = signedRequest.slice(0, dot);
  const payloadPart = signedRequest.slice(dot + 1);
  if (!/^[\w-]+={0,2}$/.test(sigPart) || !/^[\w-]+={0,2}$/.test(payloadPart)) return { ok: false, reason: 'malformed' };
  let payload: z.infer<typeof payloadSchema>;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(fromBase64Url(payloadPart).toString('utf8')));
    if (!parsed.success) return { ok: false, reason: 'malformed' };
    payload = parsed.data;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (payload.algorithm.toUpperCase() !== 'HMAC-SHA256') return { ok: false, reason: 'bad_algorithm' };
  const expected = createHmac('sha256', appSecret).update(payloadPart).digest();
  const given = fromBase64Url(sigPart);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  if (
    (payload.expires !== undefined && payload.expires < nowSeconds) ||
    nowSeconds - payload.issued_at > MAX_AGE_SECONDS
  )
    return { ok: false, reason: 'expired' };
  return { ok: true, userId: payload.user_id, issuedAt: payload.issued_at };
}

/** Builds a signed_request the way Meta documents it (tests and the simulator use this). */
export function signRequest(payload: Record<string, unknown>, appSecret: string): string {
  const payloadPart = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const sig = createHmac('sha256', appSecret).update(payloadPart).digest('base64url');
  return `${sig}.${payloadPart}`;
}
