import { randomUUID } from 'node:crypto';
import { keyedRef } from '../platform/crypto.js';
import type { Principal } from '../platform/principal.js';
import type { Runtime } from '../platform/runtime.js';

/**
 * Targets that stand for a person (or are derived from their platform id by a plain hash, as
 * contact and conversation ids are): the log keeps a keyed hash of them (§10), so the entry
 * outlives the person's erasure without pointing back at them. Staff holding the key can still
 * look an entry up by computing the hash of an id they already have.
 */
const PERSON_TARGETS = new Set(['contact', 'conversation', 'message', 'end-user']);

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

/** Writes one audit entry. */
export async function audit(
  rt: Runtime,
  entry: {
    tenantId: string;
    action: AuditAction;
    actor: Pick<Principal, 'sub' | 'role'> | { sub: string; role: string };
    target?: AuditDoc['target'];
    ip?: string;
    details?: AuditDoc['details'];
  },
): Promise<void> {
  const doc: AuditDoc = {
    id: `au_${randomUUID()}`,
    tenantId: entry.tenantId,
    type: 'audit',
    at: rt.clock.now().toISOString(),
    action: entry.action,
    actor: { sub: entry.actor.sub, role: entry.actor.role },
    ...(entry.target
      ? {
          target: PERSON_TARGETS.has(entry.target.type)
            ? {
                type: entry.target.type,
                id: keyedRef(rt.settings.PSEUDONYM_KEY, entry.target.type, entry.target.id),
                keyed: true as const,
              }
            : entry.target,
        }
      : {}),
    ...(entry.ip ? { ip: entry.ip } : {}),
    ...(entry.details ? { details: entry.details } : {}),
  };
  await rt.cosmos.container('audit').items.create(doc);
}
