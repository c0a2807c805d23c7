import { z } from 'zod';

/**
 * A tenant id as it enters a route (staff bodies name one). Tenant ids are `tn_` and a short word;
 * bounding length and charset here keeps a 60 KB or control-character value out of Cosmos
 * partition keys, where it would fail as a 500 instead of a 400.
 */
export const tenantIdField = z
  .string()
  .regex(/^tn_[\w-]{1,64}$/, 'a tenant id (tn_ and up to 64 letters, digits, _ or -)');
