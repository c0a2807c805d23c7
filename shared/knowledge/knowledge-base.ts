import { randomUUID } from 'node:crypto';
import { log } from '../platform/log.js';
import { modelClient } from '../platform/openai-client.js';
import { QUEUES, sendToQueue } from '../platform/queues.js';
import { parseStored } from '../platform/repository.js';
import type { Runtime } from '../platform/runtime.js';
import { chunkEntries } from './chunking.js';
import { embed } from './embeddings.js';
import { ExtractionSandbox } from './extract-sandbox.js';
import { ExtractionError, extractionLimits } from './extraction-limits.js';
import { cachedIndex, cacheIndex, dropCachedIndex } from './index-cache.js';
import { blobKnowledgeFiles, type KnowledgeFiles } from './knowledge-files.js';
import { cosmosKnowledgeRepository, type KnowledgeRepository } from './knowledge-repository.js';
import type { KbEntryDoc } from './schemas.js';
import { indexBuilder, SearchIndex, type SerializedIndex, serializedIndexSchema } from './search-index.js';

/** The knowledge slice's stores. */
export interface KnowledgeStores {
  entries: KnowledgeRepository;
  files: KnowledgeFiles;
}

/** The knowledge slice's stores for this runtime. */
export function knowledgeStores(rt: Runtime): KnowledgeStores {
  return { entries: cosmosKnowledgeRepository(rt.cosmos), files: blobKnowledgeFiles(rt.blob) };
}

export function newEntryId(): string {
  return `kb_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

/** All of one tenant's entries (one partition). */
export function listEntries(rt: Runtime, tenantId: string, kind?: KbEntryDoc['kind']): Promise<KbEntryDoc[]> {
  return knowledgeStores(rt).entries.listEntries(tenantId, kind);
}

/** Bumps the tenant's knowledge version (creating the index state on first use) and asks for a re-index. */
export async function markKnowledgeChanged(
  entries: KnowledgeRepository,
  requestIndex: (tenantId: string, version: number) => Promise<void>,
  tenantId: string,
): Promise<number> {
  await entries.createIndexState(tenantId, {
    id: 'kb-index',
    tenantId,
    type: 'kb-index',
    version: 0,
    builtVersion: 0,
    status: 'stale',
    chunkCount: 0,
    embeddings: false,
  });
  const updated = await entries.updateIndexState(tenantId, (d) => ({ ...d, version: d.version + 1, status: 'stale' }));
  const version = updated?.version ?? 1;
  await requestIndex(tenantId, version);
  return version;
}

/** Records that the tenant's knowledge base changed and asks for that tenant, only, to be re-indexed. */
export function markChanged(rt: Runtime, tenantId: string): Promise<number> {
  return markKnowledgeChanged(
    knowledgeStores(rt).entries,
    (id, version) => sendToQueue(rt.bus, QUEUES.knowledgeIndex, { tenantId: id, version }),
    tenantId,
  );
}

/**
 * Deletes a tenant's whole knowledge base: entries and index state, every file, and this instance's
 * cached index. Counts are for the deletion receipt.
 */
export async function forgetKnowledgeBase(
  rt: Runtime,
  tenantId: string,
): Promise<{ knowledgeEntries: number; knowledgeFiles: number }> {
  const { entries, files } = knowledgeStores(rt);
  const knowledgeEntries = await entries.forgetTenant(tenantId);
  const knowledgeFiles = await files.forgetTenant(tenantId);
  dropCachedIndex(tenantId);
  return { knowledgeEntries, knowledgeFiles };
}

async function extractPending(
  rt: Runtime,
  stores: KnowledgeStores,
  tenantId: string,
  entries: KbEntryDoc[],
): Promise<void> {
  if (!entries.some((e) => e.kind === 'document' && e.data.status === 'processing')) return;
  const sandbox = new ExtractionSandbox(extractionLimits(rt.settings));
  try {
    await extractEach(stores, tenantId, entries, sandbox);
  } finally {
    await sandbox.close();
  }
}

async function extractEach(
  { entries: repository, files }: KnowledgeStores,
  tenantId: string,
  entries: KbEntryDoc[],
  sandbox: ExtractionSandbox,
): Promise<void> {
  for (const entry of entries) {
    if (entry.kind !== 'document' || entry.data.status !== 'processing') continue;
    let status: 'ready' | 'failed' = 'ready';
    let error: string | undefined;
    let chars = 0;
    try {
      const bytes = await files.readOriginal(tenantId, entry.id);
      const text = await sandbox.extract(entry.data.contentType, bytes);
      chars = text.length;
      await files.putText(tenantId, entry.id, text);
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
    await repository.updateEntry(tenantId, entry.id, (d) =>
      d.kind === 'document'
        ? { ...d, data: { ...d.data, status, ...(error ? { error } : {}), ...(chars ? { chars } : {}) } }
        : undefined,
    );
    entry.data = { ...entry.data, status, ...(error ? { error } : {}), ...(chars ? { chars } : {}) };
  }
}

/** Builds one tenant's index from its entries and writes it to Blob Storage. Idempotent per version. */
export async function buildIndex(rt: Runtime, tenantId: string): Promise<void> {
  const stores = knowledgeStores(rt);
  const { entries: repository, files } = stores;
  const state = await repository.getIndexState(tenantId);
  if (!state || state.builtVersion >= state.version) return;
  const version = state.version;
  await repository.updateIndexState(tenantId, (d) => ({ ...d, status: 'building' }));
  const entries = await repository.listEntries(tenantId);
  await extractPending(rt, stores, tenantId, entries);
  const texts = new Map<string, string>();
  for (const entry of entries) {
    if (entry.kind === 'document' && entry.data.status === 'ready')
      texts.set(entry.id, await files.readText(tenantId, entry.id));
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
  const blobName = await files.putIndex(tenantId, version, Buffer.from(JSON.stringify(index.serialize())));
  const saved = await repository.updateIndexState(tenantId, (d) => ({
    ...d,
    builtVersion: Math.max(d.builtVersion, version),
    status: d.version > version ? 'stale' : 'ready',
    chunkCount: chunks.length,
    builtAt: rt.clock.now().toISOString(),
    blobName,
    embeddings: Boolean(embeddings),
  }));
  // Older index blobs are superseded.
  await files
    .deleteIndexesExcept(tenantId, saved?.blobName)
    .catch((error) => log.warn('knowledge.index_cleanup_failed', { tenantId, error }));

  log.info('knowledge.indexed', { tenantId, version, chunks: chunks.length, embeddings: Boolean(embeddings) });
}

/**
 * The index of the knowledge base as it stands, built now when an edit has not been indexed yet: an owner who saves an
 * FAQ and asks the playground at once expects the FAQ to answer (the queued build lands a few seconds later, and
 * finds the version built).
 */
export async function loadCurrentIndex(rt: Runtime, tenantId: string): Promise<SearchIndex | undefined> {
  const state = await knowledgeStores(rt).entries.getIndexState(tenantId);
  if (state && state.builtVersion < state.version) await buildIndex(rt, tenantId);
  return loadIndex(rt, tenantId);
}

/**
 * The tenant's current index, cached in this instance per version. Returns undefined when the
 * tenant has no knowledge base yet.
 */
export async function loadIndex(rt: Runtime, tenantId: string): Promise<SearchIndex | undefined> {
  const { entries, files } = knowledgeStores(rt);
  const state = await entries.getIndexState(tenantId);
  if (!state?.blobName || state.builtVersion === 0) return undefined;
  const cached = cachedIndex(tenantId, state.builtVersion);
  if (cached) return cached;
  const raw = await files.readIndex(tenantId, state.blobName);
  const stored = parseStored(serializedIndexSchema, 'knowledge index blob', JSON.parse(raw.toString('utf8')));
  const index = SearchIndex.load(stored as SerializedIndex);
  // Built by an older deployment (another lexicon or chunking): it answers until the rebuild it asks for lands.
  if (index.builder !== indexBuilder() && state.status === 'ready') {
    log.info('knowledge.index_outdated', { tenantId, builtBy: index.builder ?? null, builder: indexBuilder() });
    await markChanged(rt, tenantId).catch((error) => log.warn('knowledge.reindex_request_failed', { tenantId, error }));
  }
  return cacheIndex(tenantId, index);
}
