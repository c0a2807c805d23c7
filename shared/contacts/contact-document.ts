import { z } from 'zod';

/**
 * An End-User as one connected account sees them (§5.3: name, picture URL, platform id, language).
 * A loose object, so Cosmos's own fields (`_etag`) survive a read-modify-write.
 */
export const contactDocSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  type: z.literal('contact'),
  channelId: z.string(),
  platform: z.enum(['messenger', 'instagram']),
  /** The platform-scoped user id (PSID or IGSID). */
  platformUserId: z.string(),
  name: z.string().optional(),
  profilePicUrl: z.string().optional(),
  locale: z.string().optional(),
  profileFetchedAt: z.string().optional(),
  /** Art. 18: processing restricted; nothing new is stored while set. */
  restrictedAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type ContactDoc = z.infer<typeof contactDocSchema>;

/** What an inbox row shows of a contact. */
export const contactCardSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  profilePicUrl: z.string().optional(),
});

export type ContactCard = z.infer<typeof contactCardSchema>;
