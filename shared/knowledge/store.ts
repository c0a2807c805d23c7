import { randomUUID } from 'node:crypto';
import { deleteBlobsUnder } from '../platform/blob.js';
import { createOnce, readDoc, updateWithRetry } from '../platform/document-store.js';
import { log } from '../platform/log.js';
import { modelClient } from '../platform/openai-client.js';
import { QUEUES, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { chunkEntries } from './chunking.js';
import { embed } from './embeddings.js';
import { ExtractionSandbox } from './extract-sandbox.js';
import { ExtractionError, extractionLimits } from './extraction-limits.js';
import type { DocumentType, KbEntryDoc, KbIndexDoc } from './schemas.js';
import { SearchIndex, type SerializedIndex } from './search-index.js';

/** Blob names of one tenant's knowledge base; deleting a tenant deletes the prefix. */
export const kbBlobs = {
  prefix: (tenantId: string) => `${tenantId}/`,
  original: (tenantId: string, documentId: string) => `${tenantId}/documents/${documentId}/original`,
  text: (tenantId: string, documentId: string) => `${tenantId}/documents/${documentId}/text.txt`,
  index: (tenantId: string, version: number) => `${tenantId}/index/v${version}.json`,
};

export function newEntryId(): string {
  return `kb_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

/** All of one tenant's entries (one partition). */
export async function listEntries(rt: Runtime, tenantId: string, kind?: KbEntryDoc['kind']): Promise<KbEntryDoc[]> {
  const { resources } = await rt.cosmos
    .container('knowledge')
    .items.query<KbEntryDoc>(
      {
        query: `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'kb-entry' ${kind ? 'AND c.kind = @kind' : ''} ORDER BY c.createdAt ASC`,
        parameters: [{ name: '@tenantId', value: tenantId }, ...(kind ? [{ name: '@kind', value: kind }] : [])],
      },
      { partitionKey: tenantId },
    )
    .fetchAll();
  return resources;
}

export function getEntry(rt: Runtime, tenantId: string, id: string): Promise<KbEntryDoc | undefined> {
  return readDoc<KbEntryDoc>(rt.cosmos.container('knowledge'), id, tenantId).then((e) =>
    e?.type === 'kb-entry' ? e : undefined,
  );
}

export function getIndexState(rt: Runtime, tenantId: string): Promise<KbIndexDoc | undefined> {
  return readDoc<KbIndexDoc>(rt.cosmos.container('knowledge'), 'kb-index', tenantId);
}

/** Records that the tenant's knowledge base changed and asks for that tenant, only, to be re-indexed. */
export async function markChanged(rt: Runtime, tenantId: string): Promise<number> {
  const container = rt.cosmos.container('knowledge');
  const initial: KbIndexDoc = {
    id: 'kb-index',
    tenantId,
    type: 'kb-index',
    version: 0,
    builtVersion: 0,
    status: 'stale',
    chunkCount: 0,
    embeddings: false,
  };
  await createOnce(container, initial);
  const updated = await updateWithRetry<KbIndexDoc>(container, 'kb-index', tenantId, (d) => ({
    ...d,
    version: d.version + 1,
    status: 'stale',
  }));
  const version = updated?.version ?? 1;
  await sendToQueue(rt.bus, QUEUES.knowledgeIndex, { tenantId, version });
  return version;
}

/** Stores an uploaded document's original; its text is extracted by the index job. */
export async function saveDocumentOriginal(
  rt: Runtime,
  tenantId: string,
  documentId: string,
  contentType: DocumentType,
  bytes: Buffer,
): Promise<void> {
  await rt.blob
    .container('knowledge')
    .getBlockBlobClient(kbBlobs.original(tenantId, documentId))
    .uploadData(bytes, { blobHTTPHeaders: { blobContentType: contentType } });
}

async function extractPending(rt: Runtime, tenantId: string, entries: KbEntryDoc[]): Promise<void> {
  if (!entries.some((e) => e.kind === 'document' && e.data.status === 'processing')) return;
  const sandbox = new ExtractionSandbox(extractionLimits(rt.settings));
  try {
    await extractEach(rt, tenantId, entries, sandbox);
  } finally {
    await sandbox.close();
  }
}

async function extractEach(
  rt: Runtime,
  tenantId: string,
  entries: KbEntryDoc[],
  sandbox: ExtractionSandbox,
): Promise<void> {
  for (const entry of entries) {
    if (entry.kind !== 'document' || entry.data.status !== 'processing') continue;
    const blob = rt.blob.container('knowledge');
    let status: 'ready' | 'failed' = 'ready';
    let error: string | undefined;
    let chars = 0;
    try {
      const bytes = await blob.getBlockBlobClient(kbBlobs.original(tenantId, entry.id)).downloadToBuffer();
      const text = await sandbox.extract(entry.data.contentType, bytes);
      chars = text.length;
      await blob
        .getBlockBlobClient(kbBlobs.text(tenantId, entry.id))
        .uploadData(Buffer.from(text, 'utf8'), { blobHTTPHeaders: { blobContentType: 'text/plain; charset=utf-8' } });
    } catch (e) {
      if (!(e instanceof ExtractionError)) throw e;
      // A poisoned or oversized file is a permanent failure recorded on the document, never a retry.
      status = 'failed';
      error = e.message;
      log.warn('knowledge.document_failed', {
        tenantId,
        documentId: entry.id,
        contentType: entry.data.contentType,
        size: entry.data.size,
      });
    }
    await updateWithRetry<KbEntryDoc>(rt.cosmos.container('knowledge'), entry.id, tenantId, (d) =>
      d.kind === 'document'
        ? { ...d, data: { ...d.data, status, ...(error ? { error } : {}), ...(chars ? { chars } : {}) } }
        : undefined,
    );
    entry.data = { ...entry.data, status, ...(error ? { error } : {}), ...(chars ? { chars } : {}) };
  }
}

/** Builds one tenant's index from its entries and writes it to Blob Storage. Idempotent per version. */
export async function buildIndex(rt: Runtime, tenantId: string): Promise<void> {
  const state = await getIndexState(rt, tenantId);
  if (!state || state.builtVersion >= state.version) return;
  const version = state.version;
  const container = rt.cosmos.container('knowledge');
  await updateWithRetry<KbIndexDoc>(container, 'kb-index', tenantId, (d) => ({ ...d, status: 'building' }));
  const entries = await listEntries(rt, tenantId);
  await extractPending(rt, tenantId, entries);
  const texts = new Map<string, string>();
  for (const entry of entries) {
    if (entry.kind === 'document' && entry.data.status === 'ready') {
      const text = await rt.blob
        .container('knowledge')
        .getBlockBlobClient(kbBlobs.text(tenantId, entry.id))
        .downloadToBuffer();
      texts.set(entry.id, text.toString('utf8'));
    }
  }
  const chunks = chunkEntries(entries, texts);
  let embeddings: number[][] | undefined;
  const client = modelClient(rt.settings);
  if (client && rt.settings.AZURE_OPENAI_EMBEDDING_DEPLOYMENT && chunks.length > 0) {
    try {
      embeddings = await embed(
        client,
        rt.settings,
        chunks.map((c) => `${c.title}\n${c.text}`),
      );
    } catch (error) {
      // Lexical retrieval still works; embeddings come back with the next build.
      log.warn('knowledge.embeddings_failed', { tenantId, error });
    }
  }
  const index = SearchIndex.build(version, chunks, embeddings);
  const blobName = kbBlobs.index(tenantId, version);
  const payload = Buffer.from(JSON.stringify(index.serialize()));
  await rt.blob
    .container('knowledge')
    .getBlockBlobClient(blobName)
    .uploadData(payload, { blobHTTPHeaders: { blobContentType: 'application/json' } });
  const saved = await updateWithRetry<KbIndexDoc>(container, 'kb-index', tenantId, (d) => ({
    ...d,
    builtVersion: Math.max(d.builtVersion, version),
    status: d.version > version ? 'stale' : 'ready',
    chunkCount: chunks.length,
    builtAt: rt.clock.now().toISOString(),
    blobName,
    embeddings: Boolean(embeddings),
  }));
  // Older index blobs are superseded.
  await deleteBlobsUnder(rt.blob.container('knowledge'), `${tenantId}/index/`, {
    keep: (name) => name === saved?.blobName,
  }).catch((error) => log.warn('knowledge.index_cleanup_failed', { tenantId, error }));

  log.info('knowledge.indexed', { tenantId, version, chunks: chunks.length, embeddings: Boolean(embeddings) });
}

/** Indexes kept per instance; the least recently used tenant's index is dropped first. */
const CACHE_TENANTS = 200;
const cache = new Map<string, SearchIndex>();

/**
 * The tenant's current index, cached in this instance per version. Returns undefined when the
 * tenant has no knowledge base yet.
 */
export async function loadIndex(rt: Runtime, tenantId: string): Promise<SearchIndex | undefined> {
  const state = await getIndexState(rt, tenantId);
  if (!state?.blobName || state.builtVersion === 0) return undefined;
  const cached = cache.get(tenantId);
  if (cached && cached.version === state.builtVersion) {
    cache.delete(tenantId);
    cache.set(tenantId, cached);
    return cached;
  }
  const raw = await rt.blob.container('knowledge').getBlockBlobClient(state.blobName).downloadToBuffer();
  const index = SearchIndex.load(JSON.parse(raw.toString('utf8')) as SerializedIndex);
  cache.set(tenantId, index);
  if (cache.size > CACHE_TENANTS) cache.delete(cache.keys().next().value as string);
  return index;
}

/** Forgets a tenant's cached index (deletion). */
export function dropCachedIndex(tenantId: string): void {
  cache.delete(tenantId);
}
