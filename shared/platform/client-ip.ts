import { isIP } from 'node:net';

/**
 * The caller's address from `X-Forwarded-For`, trusting only our own proxy hops. Each proxy appends
 * the address it received the request from, so the entry `trustedHops` from the right is the one
 * our front end (Azure's) wrote; everything left of it was sent by the caller and may be anything.
 * The entry may carry a port ("203.0.113.7:51234", "[2001:db8::1]:443"); only a valid IP is
 * returned, else undefined, so nothing the caller wrote reaches a log or the audit trail.
 */
export function clientAddress(forwardedFor: string | null | undefined, trustedHops = 1): string | undefined {
  if (!forwardedFor || trustedHops < 1) return undefined;
  const hops = forwardedFor.split(',');
  const entry = hops[hops.length - trustedHops]?.trim();
  if (!entry) return undefined;
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::\d{1,5})?$/.exec(entry);
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(entry);
  const candidate = bracketed?.[1] ?? ipv4WithPort?.[1] ?? entry;
  const plain = candidate.startsWith('::ffff:') && isIP(candidate.slice(7)) === 4 ? candidate.slice(7) : candidate;
  return isIP(plain) ? plain : undefined;
}
