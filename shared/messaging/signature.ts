import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' };

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex>` over the raw body bytes, exactly as received
 * (Meta signs its escaped-unicode wire form, so re-serialized JSON would not match). Constant-time.
 */
export function checkMetaSignature(
  rawBody: Buffer,
  header: string | null | undefined,
  appSecret: string,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  const given = Buffer.from(match[1] as string, 'hex');
  return timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** Signs a body as Meta does; used by the simulator, the Graph sandbox's echoes and tests. */
export function signMetaBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}
