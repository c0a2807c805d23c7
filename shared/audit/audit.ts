import { randomUUID } from 'node:crypto';
import { keyedRef } from '../platform/crypto.js';
import type { Principal } from '../platform/principal.js';
import type { Runtime } from '../platform/runtime.js';
import type { AuditAction, AuditDoc } from './audit-doc.js';
import { cosmosAuditRepository } from './audit-repository.js';

/**
 * Targets that stand for a person (or are derived from their platform id by a plain hash, as
 * contact and conversation ids are): the log keeps a keyed hash of them (§10), so the entry
 * outlives the person's erasure without pointing back at them. Staff holding the key can still
 * look an entry up by computing the hash of an id they already have.
 */
const PERSON_TARGETS = new Set(['contact', 'conversation', 'message', 'end-user']);

export type { AuditAction, AuditDoc } from './audit-doc.js';

/** What an operation reports; `audit` turns it into a stored entry. */
export interface AuditEntry {
  tenantId: string;
  action: AuditAction;
  actor: Pick<Principal, 'sub' | 'role'> | { sub: string; role: string };
  target?: AuditDoc['target'];
  ip?: string;
  details?: AuditDoc['details'];
}

/** How a use-case records an audit entry, so a unit test can collect them instead. */
export type AuditPort = (entry: AuditEntry) => Promise<void>;

/** Pure: the stored entry, with a person's id replaced by its keyed hash. */
export function auditDoc(entry: AuditEntry, at: Date, pseudonymKey: string): AuditDoc {
  return {
    id: `au_${randomUUID()}`,
    tenantId: entry.tenantId,
    type: 'audit',
    at: at.toISOString(),
    action: entry.action,
    actor: { sub: entry.actor.sub, role: entry.actor.role },
    ...(entry.target
      ? {
          target: PERSON_TARGETS.has(entry.target.type)
            ? {
                type: entry.target.type,
                id: keyedRef(pseudonymKey, entry.target.type, entry.target.id),
                keyed: true as const,
              }
            : entry.target,
        }
      : {}),
    ...(entry.ip ? { ip: entry.ip } : {}),
    ...(entry.details ? { details: entry.details } : {}),
  };
}

/** Writes one audit entry. */
export async function audit(rt: Runtime, entry: AuditEntry): Promise<void> {
  await cosmosAuditRepository(rt.cosmos).append(auditDoc(entry, rt.clock.now(), rt.settings.PSEUDONYM_KEY));
}

/** The audit port of a runtime. */
export function auditTo(rt: Runtime): AuditPort {
  return (entry) => audit(rt, entry);
}
