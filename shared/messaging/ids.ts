import { createHash } from 'node:crypto';

/** A short, stable, non-reversible id from parts; keeps platform user ids out of ids and logs. */
export function stableId(prefix: string, ...parts: Array<string | number>): string {
  const digest = createHash('sha256').update(parts.join('\u001f')).digest('base64url').slice(0, 32);
  return `${prefix}_${digest}`;
}

/** The platform: Messenger (a Facebook Page) or Instagram (a professional account). */
export type Platform = 'messenger' | 'instagram';

/** One conversation is one person talking to one connected account. */
export function conversationIdOf(platform: Platform, accountId: string, userId: string): string {
  return stableId('cv', platform, accountId, userId);
}

/** One contact is one person as seen by one connected account. */
export function contactIdOf(platform: Platform, accountId: string, userId: string): string {
  return stableId('ct', platform, accountId, userId);
}

/** Our copy of a platform message, keyed by its mid so a redelivery finds the same document. */
export function messageIdOf(platform: Platform, mid: string): string {
  return stableId('msg', platform, mid);
}
