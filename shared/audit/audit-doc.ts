import { z } from 'zod';

/** The sensitive operations §10 promises to audit. */
export type AuditAction =
  | 'channel.connect'
  | 'channel.disconnect'
  | 'channel.token_used_for_subscription'
  | 'channel.needs_reconnection'
  | 'conversation.delete'
  | 'conversation.takeover'
  | 'conversation.hand_back'
  | 'contact.delete'
  | 'contact.export'
  | 'contact.rectify'
  | 'contact.restrict'
  | 'contact.lift_restriction'
  | 'settings.update'
  | 'member.role_change'
  | 'member.remove'
  | 'member.invite'
  | 'member.invite_revoke'
  | 'member.join'
  | 'account.create'
  | 'account.update'
  | 'account.close'
  | 'account.reopen'
  | 'account.delete_requested'
  | 'tenant.export'
  | 'privacy.purge'
  | 'privacy.deletion'
  | 'privacy.meta_callback'
  | 'knowledge.create'
  | 'knowledge.update'
  | 'knowledge.delete'
  | 'knowledge.profile_update'
  | 'knowledge.document_upload'
  | 'knowledge.document_delete'
  | 'conversation.reply'
  | 'billing.checkout'
  | 'billing.portal'
  | 'billing.plan_change'
  | 'staff.action';

/** Who, what, when and from where; never the data itself. Kept 12 months (§9 "Logs"). */
export interface AuditDoc {
  id: string;
  tenantId: string;
  type: 'audit';
  at: string;
  action: AuditAction;
  actor: { sub: string; role: string };
  /** `keyed` marks an id replaced by its HMAC under PSEUDONYM_KEY. */
  target?: { type: string; id: string; keyed?: true };
  ip?: string;
  /** Counts and flags only, e.g. { fields: ['name'] } or { messages: 12 }. */
  details?: Record<string, string | number | boolean | string[]>;
  ttl?: number;
}

/**
 * What a stored entry must hold to be listed. Looser than AuditDoc on `action` and `details`, so an
 * entry written under an action since renamed still reads.
 */
export const auditDocSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  type: z.literal('audit'),
  at: z.string(),
  action: z.string(),
  actor: z.looseObject({ sub: z.string(), role: z.string() }),
  target: z.looseObject({ type: z.string(), id: z.string(), keyed: z.literal(true).optional() }).optional(),
  ip: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  ttl: z.number().optional(),
});
export type StoredAuditDoc = z.infer<typeof auditDocSchema>;
