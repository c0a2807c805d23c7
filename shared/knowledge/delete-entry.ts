import { NotFoundError } from '../platform/domain-errors.js';
import type { Actor, KnowledgeDeps } from './knowledge-deps.js';
import { actorOf } from './knowledge-deps.js';

async function removeEntry(deps: KnowledgeDeps, tenantId: string, id: string): Promise<boolean> {
  const entry = await deps.entries.getEntry(tenantId, id);
  if (!entry || !(await deps.entries.deleteEntry(tenantId, id))) return false;
  if (entry.kind === 'document') await deps.files.deleteDocument(tenantId, id);
  await deps.changed(tenantId);
  return true;
}

/** Deletes any entry; a document goes with its files. */
export async function deleteEntry(deps: KnowledgeDeps, tenantId: string, actor: Actor, entryId: string): Promise<void> {
  if (!(await removeEntry(deps, tenantId, entryId))) throw new NotFoundError('entry');
  await deps.audit({
    tenantId,
    action: 'knowledge.delete',
    actor: actorOf(actor),
    ip: actor.ip,
    target: { type: 'kb-entry', id: entryId },
  });
}

/** Deletes a document and its files; any other kind of entry is not a document. */
export async function deleteDocument(
  deps: KnowledgeDeps,
  tenantId: string,
  actor: Actor,
  documentId: string,
): Promise<void> {
  const entry = await deps.entries.getEntry(tenantId, documentId);
  if (entry?.kind !== 'document' || !(await removeEntry(deps, tenantId, entry.id))) throw new NotFoundError('document');
  await deps.audit({
    tenantId,
    action: 'knowledge.document_delete',
    actor: actorOf(actor),
    ip: actor.ip,
    target: { type: 'kb-entry', id: entry.id },
  });
}
