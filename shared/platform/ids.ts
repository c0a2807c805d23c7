import { z } from 'zod';

/**
 * A tenant id as staff routes take it in a body: the shape the app creates (`tn_` and word characters),
 * loosely, and never a character Cosmos DB refuses in an id (`/`, `\`, `?`, `#`) or a length it cannot
 * store, so a bad id is a 400 naming the field and not a failed read.
 */
export const tenantIdField = z.string().regex(/^[\w-]{1,100}$/, 'a tenant id: 1 to 100 letters, digits, _ or -');
