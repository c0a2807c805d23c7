import type { Platform } from '../platform/ids.js';

/** An End-User as one connected account sees them (§5.3: name, picture URL, platform id, language). */
export interface ContactDoc {
  id: string;
  tenantId: string;
  type: 'contact';
  channelId: string;
  platform: Platform;
  /** The platform-scoped user id (PSID or IGSID). */
  platformUserId: string;
  name?: string;
  profilePicUrl?: string;
  locale?: string;
  profileFetchedAt?: string;
  /** Art. 18: processing restricted; nothing new is stored while set. */
  restrictedAt?: string;
  createdAt: string;
  updatedAt: string;
}
