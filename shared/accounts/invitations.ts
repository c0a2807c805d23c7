import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** How long an invitation link works. */
export const INVITATION_DAYS = 7;

/** An invitation to join a business, by e-mail. Only a hash of the link's secret is stored. */
export const invitationDocSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  type: z.literal('invitation'),
  /** Lower-cased; compared with the verified e-mail of the person who accepts. */
  email: z.string(),
  role: z.enum(['admin', 'agent']),
  secretHash: z.string(),
  invitedBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  status: z.enum(['pending', 'accepted', 'revoked']),
  acceptedAt: z.string().optional(),
  acceptedBy: z.string().optional(),
  revokedAt: z.string().optional(),
  /** When the person who accepted it was removed from the business: the link no longer lets them in. */
  memberRemovedAt: z.string().optional(),
});
export type InvitationDoc = z.infer<typeof invitationDocSchema>;

export type InvitationStatus = InvitationDoc['status'] | 'expired';

/** Pure: the status in force at `now` (a pending invitation past its expiry is expired). */
export function invitationStatus(doc: Pick<InvitationDoc, 'status' | 'expiresAt'>, now: Date): InvitationStatus {
  return doc.status === 'pending' && Date.parse(doc.expiresAt) <= now.getTime() ? 'expired' : doc.status;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** A new invitation id and link token. The token names the tenant and invitation so accepting needs one point read. */
export function newInvitationSecret(tenantId: string): {
  id: string;
  secret: string;
  secretHash: string;
  token: string;
} {
  const id = `inv_${randomBytes(10).toString('hex')}`;
  const secret = randomBytes(24).toString('base64url');
  return { id, secret, secretHash: hashSecret(secret), token: `${tenantId}.${id}.${secret}` };
}

/** Pure: splits a link token into its parts, or undefined when it is not one of ours. */
export function parseInvitationToken(token: string): { tenantId: string; id: string; secret: string } | undefined {
  const m = /^(tn_[\w]{1,64})\.(inv_[0-9a-f]{20})\.([\w-]{32})$/.exec(token);
  return m ? { tenantId: m[1] as string, id: m[2] as string, secret: m[3] as string } : undefined;
}

/** Constant-time check of a link secret against the stored hash. */
export function secretMatches(secret: string, secretHash: string): boolean {
  const a = Buffer.from(hashSecret(secret));
  const b = Buffer.from(secretHash);
  return a.length === b.length && timingSafeEqual(a, b);
}
