import { z } from 'zod';

/**
 * The shape of an IANA zone name ("Europe/Bucharest", "America/Argentina/Salta", "UTC", "Etc/GMT+2"): no spaces, markup
 * or control characters.
 */
const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/** Pure: is this an IANA time zone name that this runtime can compute with? */
export function isIanaTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64 || !IANA_SHAPE.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Every time zone that enters the platform (bot settings, the owner's profile, sign-up). */
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isIanaTimeZone, 'must be an IANA time zone name such as Europe/Bucharest')
  .meta({ description: 'IANA time zone name, e.g. Europe/Bucharest', example: 'Europe/Bucharest' });
