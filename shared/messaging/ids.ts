import { stableId } from '../platform/ids.js';

export { conversationIdOf, stableId } from '../platform/ids.js';

/** The platform: Messenger (a Facebook Page) or Instagram (a professional account). */
export type Platform = 'messenger' | 'instagram';

/** One contact is one person as seen by one connected account. */
export function contactIdOf(platform: Platform, accountId: string, userId: string): string {
  return stableId('ct', platform, accountId, userId);
}

/** Our copy of a platform message, keyed by its mid so a redelivery finds the same document. */
export function messageIdOf(platform: Platform, mid: string): string {
  return stableId('msg', platform, mid);
}
