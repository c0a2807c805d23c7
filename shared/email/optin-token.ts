import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Double opt-in confirmation tokens: `<nonce>.<expires (unix s)>.<signature>`. They carry no
 * address (the pending request is stored under the nonce), are signed with a purpose label so an
 * unsubscribe signature can never pass as one, expire, and are single-use because confirming
 * deletes the pending request the nonce names.
 */
const PURPOSE = 'marketing-optin';

function signature(nonce: string, expires: number, secret: string): string {
  return createHmac('sha256', secret).update(`${PURPOSE}|${nonce}|${expires}`).digest('base64url').slice(0, 43);
}

export function newOptinNonce(): string {
  return randomBytes(18).toString('base64url');
}

export function optinToken(nonce: string, expiresAt: Date, secret: string): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `${nonce}.${expires}.${signature(nonce, expires, secret)}`;
}

/** The nonce of a well-signed, unexpired token, or why not. */
export function verifyOptinToken(
  token: string,
  secret: string,
  now: Date,
): { nonce: string } | { error: 'invalid' | 'expired' } {
  const parts = token.split('.');
  if (parts.length !== 3) return { error: 'invalid' };
  const [nonce, expiresText, sig] = parts as [string, string, string];
  if (!/^[\w-]{24}$/.test(nonce) || !/^\d{1,12}$/.test(expiresText)) return { error: 'invalid' };
  const expected = Buffer.from(signature(nonce, Number(expiresText), secret));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { error: 'invalid' };
  return Number(expiresText) * 1000 <= now.getTime() ? { error: 'expired' } : { nonce };
}
