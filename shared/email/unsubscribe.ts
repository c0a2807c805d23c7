import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The key under which an address's marketing consent or objection is stored: a hash, not the address. */
export function emailKey(email: string): string {
  return `em_${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url').slice(0, 32)}`;
}

/** A token for one-click unsubscribe: the address key, signed. */
export function unsubscribeToken(email: string, secret: string): string {
  const key = emailKey(email);
  const sig = createHmac('sha256', secret).update(key).digest('base64url').slice(0, 32);
  return `${key}.${sig}`;
}

/** The address key of a valid token, or undefined. */
export function verifyUnsubscribeToken(token: string, secret: string): string | undefined {
  const [key, sig] = token.split('.');
  if (!key || !sig || !/^em_[\w-]{32}$/.test(key)) return undefined;
  const expected = Buffer.from(createHmac('sha256', secret).update(key).digest('base64url').slice(0, 32));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given) ? key : undefined;
}
