import { z } from 'zod';
import { isoTime } from '../platform/iso-time.js';
import { publicWebUrl } from '../platform/public-url.js';
import { timeZoneSchema } from '../platform/time-zone.js';

/** §5.1 account data: the owner and the business. */
export const ownerSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  preferredLanguage: z.enum(['en', 'ro']),
  timeZone: timeZoneSchema,
  /** The owner's role in the business, e.g. "Owner" or "Manager". */
  jobTitle: z.string().trim().min(1).max(100).optional(),
});

export const companySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  // "ro" is what many type: read in capitals, as the code is stored.
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code, such as RO')
    .transform((c) => c.toUpperCase()),
  businessType: z
    .enum([
      'salon',
      'clinic',
      'restaurant',
      'shop',
      'bakery-cafe',
      'fitness',
      'education',
      'hospitality',
      'pet-care',
      'automotive',
      'home-services',
      'events',
      'professional-services',
      'other',
    ])
    .describe('What kind of business it is, for the dashboard and reports; the assistant answers every kind alike.'),
  website: publicWebUrl(500).optional(),
});

export const accountViewSchema = z
  .object({
    tenantId: z.string(),
    status: z.enum(['active', 'closed', 'deleting']),
    owner: ownerSchema,
    company: companySchema,
    createdAt: isoTime,
    closedAt: isoTime.optional(),
    reopenUntil: isoTime.optional(),
    deletionRequestedAt: isoTime.optional(),
  })
  .meta({ id: 'Account' });

export type Owner = z.infer<typeof ownerSchema>;
export type Company = z.infer<typeof companySchema>;

/** A person's membership of a tenant, with the role the Auth0 post-login Action puts in their token. */
export const memberDocSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  type: z.literal('member'),
  sub: z.string(),
  email: z.string().optional(),
  role: z.enum(['owner', 'admin', 'agent']),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MemberDoc = z.infer<typeof memberDocSchema>;

export function memberId(sub: string): string {
  return `member_${Buffer.from(sub).toString('base64url')}`;
}

/** Months after closing during which an account can be reopened (§9, §12.1). */
export const REOPEN_MONTHS = 12;

/** Pure: until when a closed account can be reopened. */
export function reopenDeadline(closedAt: Date): Date {
  const d = new Date(closedAt);
  d.setUTCMonth(d.getUTCMonth() + REOPEN_MONTHS);
  return d;
}
