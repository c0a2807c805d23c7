import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

/**
 * Addresses that are not the public internet: a link to one points at our network or the reader's, never a business.
 */
const nonPublic = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const) {
  nonPublic.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 127],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  nonPublic.addSubnet(net, bits, 'ipv6');
}

const LOCAL_NAMES = /(^|\.)(localhost|local|localdomain|internal|intranet|lan|home|corp|onion)$/i;

/**
 * Pure: true for an http(s) URL to a public host, written without control characters or spaces and
 * without credentials. Anything else (javascript:, data:, file:, gopher:, loopback, link-local,
 * private and single-label hosts) is false. The raw string is checked before parsing, because the
 * URL parser silently drops tabs and line breaks that would still reach a reader or a header.
 */
export function isPublicWebUrl(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u0020\u007f-\u00a0\u2028\u2029\ufeff\\]/.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.username || url.password) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const family = isIP(host);
  if (family === 4) return !nonPublic.check(host, 'ipv4');
  if (family === 6) return !nonPublic.check(host, 'ipv6');
  return host.includes('.') && !LOCAL_NAMES.test(host) && /^[a-z0-9.-]+$/.test(host);
}

/** A link shown to customers or staff (booking link, website): http(s) to a public host only. */
export function publicWebUrl(max = 500) {
  // Not z.url(): it trims and normalises before a refinement sees the value, so a leading CR/LF would pass.
  return z
    .string()
    .max(max)
    .refine(isPublicWebUrl, 'must be an http or https link to a public web address')
    .meta({ format: 'uri', description: 'An http or https link to a public web address' });
}
