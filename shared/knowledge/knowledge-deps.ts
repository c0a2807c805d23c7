import { audit } from '../audit/index.js';
import type { Runtime } from '../platform/runtime.js';
import { knowledgeStores, markChanged } from './knowledge-base.js';
import type { KnowledgeFiles } from './knowledge-files.js';
import type { KnowledgeRepository } from './knowledge-repository.js';

export type AuditEntry = Parameters<typeof audit>[1];

/** Who asks for a change, for the entry's `updatedBy` and the audit log. */
export interface Actor {
  sub: string;
  role: string;
  ip?: string;
}

/** What the knowledge use-cases need; tests pass memory repositories and spies. */
export interface KnowledgeDeps {
  entries: KnowledgeRepository;
  files: KnowledgeFiles;
  now: () => Date;
  /** Records that the tenant's knowledge base changed and asks for a re-index. */
  changed: (tenantId: string) => Promise<unknown>;
  audit: (entry: AuditEntry) => Promise<void>;
}

export function knowledgeDeps(rt: Runtime): KnowledgeDeps {
  return {
    ...knowledgeStores(rt),
    now: () => rt.clock.now(),
    changed: (tenantId) => markChanged(rt, tenantId),
    audit: (entry) => audit(rt, entry),
  };
}

export const actorOf = ({ sub, role }: Actor) => ({ sub, role });
