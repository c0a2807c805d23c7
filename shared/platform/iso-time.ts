import { z } from 'zod';

/** A point in time as the API answers it: an ISO 8601 string in UTC (`format: date-time` in OpenAPI). */
export const isoTime = z.iso.datetime({ offset: true });

/** Pure: milliseconds since the epoch as an ISO string (message timestamps are kept in ms, as Meta sends them). */
export function isoFromMs(ms: number): string {
  return new Date(ms).toISOString();
}
