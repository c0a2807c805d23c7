import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * A tenant id as it enters a route (staff bodies name one). Tenant ids are `tn_` and a short word;
 * bounding length and charset here keeps a 60 KB or control-character value out of Cosmos
 * partition keys, where it would fail as a 500 instead of a 400.
 */
export const tenantIdField = z
  .string()
  .regex(/^tn_[\w-]{1,64}$/, 'a tenant id (tn_ and up to 64 letters, digits, _ or -)');

/** A short, stable, non-reversible id from parts; keeps platform user ids out of ids and logs. */
export function stableId(prefix: string, ...parts: Array<string | number>): string {
  const digest = createHash('sha256').update(parts.join('\u001f')).digest('base64url').slice(0, 32);
  return `${prefix}_${digest}`;
}

/** The platform: Messenger (a Facebook Page) or Instagram (a professional account). */
export type Platform = 'messenger' | 'instagram';

/**
 * One conversation is one person talking to one connected account. Its id is also the session of
 * the conversation's queue messages, which is why it lives here.
 */
export function conversationIdOf(platform: Platform, accountId: string, userId: string): string {
  return stableId('cv', platform, accountId, userId);
}
