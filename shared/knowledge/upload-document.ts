import { InvalidInputError } from '../platform/domain-errors.js';
import { newEntryId } from './knowledge-base.js';
import type { Actor, KnowledgeDeps } from './knowledge-deps.js';
import { actorOf } from './knowledge-deps.js';
import type { DocumentType, KbEntryDoc } from './schemas.js';

/**
 * Stores an uploaded document's original and records it as processing; the index job extracts its
 * text. The route has already read the body within the size limit and recognised the type.
 */
export async function uploadDocument(
  deps: KnowledgeDeps,
  tenantId: string,
  actor: Actor,
  upload: { fileName: string; contentType: DocumentType; bytes: Buffer },
): Promise<KbEntryDoc> {
  const { fileName, contentType, bytes } = upload;
  if (bytes.length === 0)
    throw new InvalidInputError('The document is empty.', [{ field: '(body)', message: 'empty' }]);
  const id = newEntryId();
  await deps.files.putOriginal(tenantId, id, contentType, bytes);
  const now = deps.now().toISOString();
  const doc: KbEntryDoc = {
    id,
    tenantId,
    type: 'kb-entry',
    kind: 'document',
    version: 1,
    createdAt: now,
    updatedAt: now,
    updatedBy: actor.sub,
    data: { fileName: fileName.slice(0, 200), contentType, size: bytes.length, status: 'processing' },
  };
  await deps.entries.createEntry(tenantId, doc);
  await deps.changed(tenantId);
  await deps.audit({
    tenantId,
    action: 'knowledge.document_upload',
    actor: actorOf(actor),
    ip: actor.ip,
    target: { type: 'kb-entry', id },
    details: { contentType, size: bytes.length },
  });
  return doc;
}
