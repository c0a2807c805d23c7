import { type BlobStore, deleteBlobsUnder } from '../platform/blob.js';
import type { DocumentType } from './schemas.js';

/** Blob names of one tenant's knowledge base; forgetting a tenant deletes the prefix. */
export const kbBlobs = {
  prefix: (tenantId: string) => `${tenantId}/`,
  original: (tenantId: string, documentId: string) => `${tenantId}/documents/${documentId}/original`,
  text: (tenantId: string, documentId: string) => `${tenantId}/documents/${documentId}/text.txt`,
  indexPrefix: (tenantId: string) => `${tenantId}/index/`,
  index: (tenantId: string, version: number) => `${tenantId}/index/v${version}.json`,
};

/** The `knowledge` blob container: uploaded originals, their extracted text and the built indexes, per tenant. */
export interface KnowledgeFiles {
  putOriginal(tenantId: string, documentId: string, contentType: DocumentType, bytes: Buffer): Promise<void>;
  readOriginal(tenantId: string, documentId: string): Promise<Buffer>;
  putText(tenantId: string, documentId: string, text: string): Promise<void>;
  readText(tenantId: string, documentId: string): Promise<string>;
  /** Deletes a document's original and text; a file already gone is fine. */
  deleteDocument(tenantId: string, documentId: string): Promise<void>;
  /** Stores an index build and returns its blob name. */
  putIndex(tenantId: string, version: number, payload: Buffer): Promise<string>;
  /** Reads an index build by the blob name its state recorded (which must be this tenant's). */
  readIndex(tenantId: string, blobName: string): Promise<Buffer>;
  /** Deletes the tenant's index builds except `keep`; returns how many went. */
  deleteIndexesExcept(tenantId: string, keep?: string): Promise<number>;
  /** Deletes every file of the tenant; returns how many went. */
  forgetTenant(tenantId: string): Promise<number>;
}

function ownBlob(tenantId: string, blobName: string): string {
  if (!blobName.startsWith(kbBlobs.prefix(tenantId))) throw new Error('A knowledge file belongs to another tenant');
  return blobName;
}

export function blobKnowledgeFiles(blob: BlobStore): KnowledgeFiles {
  const container = () => blob.container('knowledge');
  const upload = (name: string, bytes: Buffer, contentType: string) =>
    container()
      .getBlockBlobClient(name)
      .uploadData(bytes, { blobHTTPHeaders: { blobContentType: contentType } })
      .then(() => undefined);
  const download = (name: string) => container().getBlockBlobClient(name).downloadToBuffer();
  return {
    putOriginal: (tenantId, documentId, contentType, bytes) =>
      upload(kbBlobs.original(tenantId, documentId), bytes, contentType),
    readOriginal: (tenantId, documentId) => download(kbBlobs.original(tenantId, documentId)),
    putText: (tenantId, documentId, text) =>
      upload(kbBlobs.text(tenantId, documentId), Buffer.from(text, 'utf8'), 'text/plain; charset=utf-8'),
    readText: async (tenantId, documentId) => (await download(kbBlobs.text(tenantId, documentId))).toString('utf8'),
    async deleteDocument(tenantId, documentId) {
      for (const name of [kbBlobs.original(tenantId, documentId), kbBlobs.text(tenantId, documentId)])
        await container()
          .deleteBlob(name)
          .catch(() => undefined);
    },
    async putIndex(tenantId, version, payload) {
      const name = kbBlobs.index(tenantId, version);
      await upload(name, payload, 'application/json');
      return name;
    },
    readIndex: async (tenantId, blobName) => download(ownBlob(tenantId, blobName)),
    deleteIndexesExcept: (tenantId, keep) =>
      deleteBlobsUnder(container(), kbBlobs.indexPrefix(tenantId), { keep: (name) => name === keep }),
    forgetTenant: (tenantId) => deleteBlobsUnder(container(), kbBlobs.prefix(tenantId)),
  };
}

/** The same files in memory, for unit tests of the use-cases. A missing file throws like a 404 would. */
export function memoryKnowledgeFiles(files = new Map<string, Buffer>()): KnowledgeFiles & { names(): string[] } {
  const read = (name: string) => {
    const bytes = files.get(name);
    if (!bytes) throw Object.assign(new Error(`No blob ${name}`), { statusCode: 404 });
    return Buffer.from(bytes);
  };
  const deleteUnder = (prefix: string, keep?: string) => {
    let n = 0;
    for (const name of [...files.keys()])
      if (name.startsWith(prefix) && name !== keep) {
        files.delete(name);
        n++;
      }
    return n;
  };
  return {
    names: () => [...files.keys()].sort(),
    async putOriginal(tenantId, documentId, _type, bytes) {
      files.set(kbBlobs.original(tenantId, documentId), Buffer.from(bytes));
    },
    readOriginal: async (tenantId, documentId) => read(kbBlobs.original(tenantId, documentId)),
    async putText(tenantId, documentId, text) {
      files.set(kbBlobs.text(tenantId, documentId), Buffer.from(text, 'utf8'));
    },
    readText: async (tenantId, documentId) => read(kbBlobs.text(tenantId, documentId)).toString('utf8'),
    async deleteDocument(tenantId, documentId) {
      files.delete(kbBlobs.original(tenantId, documentId));
      files.delete(kbBlobs.text(tenantId, documentId));
    },
    async putIndex(tenantId, version, payload) {
      const name = kbBlobs.index(tenantId, version);
      files.set(name, Buffer.from(payload));
      return name;
    },
    readIndex: async (tenantId, blobName) => read(ownBlob(tenantId, blobName)),
    deleteIndexesExcept: async (tenantId, keep) => deleteUnder(kbBlobs.indexPrefix(tenantId), keep),
    forgetTenant: async (tenantId) => deleteUnder(kbBlobs.prefix(tenantId)),
  };
}
