import { ConflictError, NotFoundError } from '../platform/domain-errors.js';
import type { ListPage } from '../platform/memory-page.js';
import type { KnowledgeDeps } from './knowledge-deps.js';
import type { KbEntryDoc, KbIndexDoc } from './schemas.js';

type Reads = Pick<KnowledgeDeps, 'entries' | 'files'>;
type DocumentEntry = Extract<KbEntryDoc, { kind: 'document' }>;

/** One page of the tenant's entries, oldest first, optionally of one kind. */
export function listEntries(
  deps: Pick<KnowledgeDeps, 'entries'>,
  tenantId: string,
  kind: KbEntryDoc['kind'] | undefined,
  page: ListPage,
) {
  return deps.entries.listEntriesPage(tenantId, kind, page);
}

export async function readEntry(deps: Pick<KnowledgeDeps, 'entries'>, tenantId: string, id: string) {
  const entry = await deps.entries.getEntry(tenantId, id);
  if (!entry) throw new NotFoundError('entry');
  return entry;
}

async function documentEntry(deps: Reads, tenantId: string, id: string): Promise<DocumentEntry> {
  const entry = await deps.entries.getEntry(tenantId, id);
  if (entry?.kind !== 'document') throw new NotFoundError('document');
  return entry;
}

/** A document's original file as it was uploaded. */
export async function readDocumentOriginal(
  deps: Reads,
  tenantId: string,
  id: string,
): Promise<{ entry: DocumentEntry; bytes: Buffer }> {
  const entry = await documentEntry(deps, tenantId, id);
  return { entry, bytes: await deps.files.readOriginal(tenantId, entry.id) };
}

/** The text extracted from a document; a conflict while extraction runs or after it failed. */
export async function readDocumentText(
  deps: Reads,
  tenantId: string,
  id: string,
): Promise<{ entry: DocumentEntry; text: string }> {
  const entry = await documentEntry(deps, tenantId, id);
  if (entry.data.status !== 'ready')
    throw new ConflictError(
      entry.data.status === 'failed'
        ? `Extraction failed: ${entry.data.error ?? 'unknown reason'}.`
        : 'The text is still being extracted; try again in a moment.',
    );
  return { entry, text: await deps.files.readText(tenantId, entry.id) };
}

export type KnowledgeStatus = Pick<KbIndexDoc, 'version' | 'builtVersion' | 'chunkCount' | 'builtAt' | 'embeddings'> & {
  status: KbIndexDoc['status'] | 'empty';
};

/** Indexing status; `empty` before the first change. */
export async function knowledgeStatus(
  deps: Pick<KnowledgeDeps, 'entries'>,
  tenantId: string,
): Promise<KnowledgeStatus> {
  const s = await deps.entries.getIndexState(tenantId);
  return s
    ? {
        version: s.version,
        builtVersion: s.builtVersion,
        status: s.status,
        chunkCount: s.chunkCount,
        builtAt: s.builtAt,
        embeddings: s.embeddings,
      }
    : { version: 0, builtVersion: 0, status: 'empty', chunkCount: 0, embeddings: false };
}
