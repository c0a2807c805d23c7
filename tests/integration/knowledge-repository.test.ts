import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { blobKnowledgeFiles } from '../../shared/knowledge/knowledge-files.js';
import { cosmosKnowledgeRepository } from '../../shared/knowledge/knowledge-repository.js';
import type { KbEntryDoc } from '../../shared/knowledge/schemas.js';
import { BlobStore } from '../../shared/platform/blob.js';
import { CosmosStore } from '../../shared/platform/cosmos.js';
import { CorruptDocumentError } from '../../shared/platform/repository.js';

const now = '2026-01-01T00:00:00.000Z';
const faq = (tenantId: string, id: string): KbEntryDoc => ({
  id,
  tenantId,
  type: 'kb-entry',
  kind: 'faq',
  version: 1,
  createdAt: now,
  updatedAt: now,
  updatedBy: 'auth0|owner',
  data: { question: 'Parking?', answer: 'Behind the salon.' },
});

describe('the knowledge repository against the embedded Cosmos server and Azurite', () => {
  const cosmos = new CosmosStore({
    endpoint: inject('cosmosEndpoint'),
    key: inject('cosmosKey'),
    database: `knowledge-${randomUUID().slice(0, 8)}`,
  });
  const blob = new BlobStore({ connectionString: inject('blobConnectionString') });
  const entries = cosmosKnowledgeRepository(cosmos);
  const files = blobKnowledgeFiles(blob);
  const a = `tn_a_${randomUUID().slice(0, 8)}`;
  const b = `tn_b_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await cosmos.ensure();
    await blob.ensure();
  });
  afterAll(() => cosmos.dispose());

  it('creates once, updates by etag, and scopes every read to the tenant', async () => {
    expect(await entries.createEntry(a, faq(a, 'kb_1'))).toBe(true);
    expect(await entries.createEntry(a, faq(a, 'kb_1'))).toBe(false);
    const saved = await entries.updateEntry(a, 'kb_1', (e) => ({ ...e, version: e.version + 1 }));
    expect(saved?.version).toBe(2);
    expect(await entries.getEntry(b, 'kb_1')).toBeUndefined();
    expect(await entries.updateEntry(b, 'kb_1', (e) => ({ ...e, version: 99 }))).toBeUndefined();
    expect(await entries.deleteEntry(b, 'kb_1')).toBe(false);
    expect((await entries.getEntry(a, 'kb_1'))?.version).toBe(2);
    // A change that leaves the entry alone writes nothing and says so, also when a concurrent write made it decline.
    expect(await entries.updateEntry(a, 'kb_1', () => undefined)).toBeUndefined();
    const fromTwo = (e: KbEntryDoc) => (e.version === 2 ? { ...e, version: 3 } : undefined);
    const both = await Promise.all([entries.updateEntry(a, 'kb_1', fromTwo), entries.updateEntry(a, 'kb_1', fromTwo)]);
    expect(both.filter(Boolean).map((e) => e?.version)).toEqual([3]);
    expect((await entries.getEntry(a, 'kb_1'))?.version).toBe(3);
    await expect(entries.createEntry(b, faq(a, 'kb_x'))).rejects.toThrow(/own tenant/);
  });

  it('refuses a stored document that does not match its schema', async () => {
    await cosmos
      .container('knowledge')
      .items.create({ id: 'kb_bad', tenantId: a, type: 'kb-entry', kind: 'faq', createdAt: now });
    await expect(entries.getEntry(a, 'kb_bad')).rejects.toBeInstanceOf(CorruptDocumentError);
    await expect(entries.listEntries(a, 'faq')).rejects.toBeInstanceOf(CorruptDocumentError);
    await cosmos.container('knowledge').item('kb_bad', a).delete();
  });

  it('pages the entries list with signed tokens bound to the tenant and the filter', async () => {
    const t = `tn_p_${randomUUID().slice(0, 8)}`;
    for (const [k, id] of ['kb_p1', 'kb_p2', 'kb_p3'].entries())
      await entries.createEntry(t, { ...faq(t, id), createdAt: `2026-01-0${k + 1}T00:00:00.000Z` });
    const page = { secret: 'integration-page-secret', kind: 'v1-knowledge-entries-list', limit: 2 };
    const first = await entries.listEntriesPage(t, undefined, page);
    expect(first.items.map((e) => e.id)).toEqual(['kb_p1', 'kb_p2']);
    const token = first.continuationToken as string;
    expect((await entries.listEntriesPage(t, undefined, { ...page, token })).items.map((e) => e.id)).toEqual(['kb_p3']);
    await expect(entries.listEntriesPage(a, undefined, { ...page, token })).rejects.toMatchObject({
      name: 'PageTokenError',
    });
    await expect(entries.listEntriesPage(t, 'faq', { ...page, token })).rejects.toMatchObject({
      name: 'PageTokenError',
    });
    expect(await entries.forgetTenant(t)).toBe(3);
  });

  it('forgets one tenant, entries, index state and files, and leaves the other alone', async () => {
    await entries.createEntry(b, faq(b, 'kb_1'));
    await entries.createIndexState(a, {
      id: 'kb-index',
      tenantId: a,
      type: 'kb-index',
      version: 1,
      builtVersion: 0,
      status: 'stale',
      chunkCount: 0,
      embeddings: false,
    });
    await files.putOriginal(a, 'kb_1', 'text/plain', Buffer.from('a'));
    await files.putText(b, 'kb_1', 'b');
    expect(await entries.forgetTenant(a)).toBe(2);
    expect(await files.forgetTenant(a)).toBe(1);
    expect(await entries.listEntries(a)).toEqual([]);
    expect(await entries.getIndexState(a)).toBeUndefined();
    expect((await entries.listEntries(b)).map((e) => e.id)).toEqual(['kb_1']);
    expect(await files.readText(b, 'kb_1')).toBe('b');
    await expect(files.readIndex(b, `${a}/index/v1.json`)).rejects.toThrow(/another tenant/);
  });
});
