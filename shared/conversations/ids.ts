import { type Platform, stableId } from '../platform/ids.js';

export { conversationIdOf } from '../platform/ids.js';

/** Our copy of a platform message, keyed by its mid so a redelivery finds the same document. */
export function messageIdOf(platform: Platform, mid: string): string {
  return stableId('msg', platform, mid);
}
