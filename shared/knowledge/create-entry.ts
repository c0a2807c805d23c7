import type { Runtime } from '../platform/runtime.js';
import { knowledgeStores, markChanged, newEntryId } from './knowledge-base.js';
import type { Actor, KnowledgeDeps } from './knowledge-deps.js';
import { actorOf } from './knowledge-deps.js';
import type { Faq, KbEntryDoc, Service } from './schemas.js';

export type NewEntry = { kind: 'service'; data: Service } | { kind: 'faq'; data: Faq };

/** Adds a service or an FAQ entry at version 1. */
export async function createEntry(
  deps: KnowledgeDeps,
  tenantId: string,
  actor: Actor,
  input: NewEntry,
): Promise<KbEntryDoc> {
  const now = deps.now().toISOString();
  const doc = {
    id: newEntryId(),
    tenantId,
    type: 'kb-entry',
    version: 1,
    createdAt: now,
    updatedAt: now,
    updatedBy: actor.sub,
    ...input,
  } as KbEntryDoc;
  await deps.entries.createEntry(tenantId, doc);
  await deps.changed(tenantId);
  await deps.audit({
    tenantId,
    action: 'knowledge.create',
    actor: actorOf(actor),
    ip: actor.ip,
    target: { type: 'kb-entry', id: doc.id },
    details: { kind: doc.kind },
  });
  return doc;
}

/**
 * An FAQ written from another slice (a resolved knowledge gap), with the id and time that slice
 * chose, so a retried resolution writes the same entry once.
 */
export async function addFaqEntry(
  rt: Runtime,
  tenantId: string,
  by: string,
  faq: { id: string; at: string; question: string; answer: string },
): Promise<void> {
  const entry = {
    id: faq.id,
    tenantId,
    type: 'kb-entry',
    kind: 'faq',
    version: 1,
    createdAt: faq.at,
    updatedAt: faq.at,
    updatedBy: by,
    data: { question: faq.question, answer: faq.answer },
  } as KbEntryDoc;
  await knowledgeStores(rt).entries.createEntry(tenantId, entry);
  await markChanged(rt, tenantId);
}
