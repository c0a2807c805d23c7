import { type Platform, stableId } from '../platform/ids.js';

/** One contact is one person as seen by one connected account. */
export function contactIdOf(platform: Platform, accountId: string, userId: string): string {
  return stableId('ct', platform, accountId, userId);
}
