import { type Platform, stableId } from '../platform/ids.js';

/** One conversation is one person talking to one connected account. */
export function conversationIdOf(platform: Platform, accountId: string, userId: string): string {
  return stableId('cv', platform, accountId, userId);
}

/** Our copy of a platform message, keyed by its mid so a redelivery finds the same document. */
export function messageIdOf(platform: Platform, mid: string): string {
  return stableId('msg', platform, mid);
}
