import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { createEntry } from '../../shared/knowledge/create-entry.js';
import { deleteDocument, deleteEntry } from '../../shared/knowledge/delete-entry.js';
import { markKnowledgeChanged } from '../../shared/knowledge/knowledge-base.js';
import type { AuditEntry, KnowledgeDeps } from '../../shared/knowledge/knowledge-deps.js';
import { memoryKnowledgeFiles } from '../../shared/knowledge/knowledge-files.js';
import { memoryKnowledgeRepository } from '../../shared/knowledge/knowledge-repository.js';
import { patchProfile, readProfile, saveProfile } from '../../shared/knowledge/profile.js';
import {
  knowledgeStatus,
  listEntries,
  readDocumentOriginal,
  readDocumentText,
  readEntry,
} from '../../shared/knowledge/read-entries.js';
import { updateEntry } from '../../shared/knowledge/update-entry.js';
import { uploadDocument } from '../../shared/knowledge/upload-document.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../../shared/platform/domain-errors.js';

const A = 'tn_a';
const B = 'tn_b';
const owner = { sub: 'auth0|owner', role: 'owner', ip: '203.0.113.9' };
const faq = { kind: 'faq' as const, data: { question: 'Parking?', answer: 'Behind the salon.' } };
const PAGE = { secret: 'unit-test-page-secret', kind: 'v1-knowledge-entries-list', limit: 100 };
const entriesOf = async (deps: KnowledgeDeps, tenantId: string) =>
  (await listEntries(deps, tenantId, undefined, PAGE)).items;

function setup() {
  const entries = memoryKnowledgeRepository();
  const files = memoryKnowledgeFiles();
  const audits: AuditEntry[] = [];
  const reindexed: Array<{ tenantId: string; version: number }> = [];
  const deps: KnowledgeDeps = {
    entries,
    files,
    now: () => new Date('2026-05-01T10:00:00.000Z'),
    changed: (tenantId) =>
      markKnowledgeChanged(entries, async (t, version) => void reindexed.push({ tenantId: t, version }), tenantId),
    audit: async (entry) => void audits.push(entry),
  };
  return { deps, files, audits, reindexed };
}

describe('knowledge use-cases on memory repositories', () => {
  it('creates an entry at version 1, re-indexes that tenant and audits without the content', async () => {
    const { deps, audits, reindexed } = setup();
    const entry = await createEntry(deps, A, owner, faq);
    expect(entry).toMatchObject({ tenantId: A, kind: 'faq', version: 1, updatedBy: owner.sub });
    expect(await readEntry(deps, A, entry.id)).toMatchObject({ id: entry.id, data: faq.data });
    expect(reindexed).toEqual([{ tenantId: A, version: 1 }]);
    expect(audits).toEqual([
      {
        tenantId: A,
        action: 'knowledge.create',
        actor: { sub: owner.sub, role: 'owner' },
        ip: owner.ip,
        target: { type: 'kb-entry', id: entry.id },
        details: { kind: 'faq' },
      },
    ]);
    expect(await knowledgeStatus(deps, A)).toMatchObject({ version: 1, builtVersion: 0, status: 'stale' });
    expect(await knowledgeStatus(deps, B)).toEqual({
      version: 0,
      builtVersion: 0,
      status: 'empty',
      chunkCount: 0,
      embeddings: false,
    });
  });

  it('updates only from the version read, and refuses data of the other kind', async () => {
    const { deps } = setup();
    const entry = await createEntry(deps, A, owner, faq);
    await expect(updateEntry(deps, A, owner, entry.id, { version: 7, data: faq.data })).rejects.toEqual(
      new ConflictError('The entry is at version 1; reload it and try again.'),
    );
    await expect(
      updateEntry(deps, A, owner, entry.id, { version: 1, data: { name: 'Manicure' } }),
    ).rejects.toBeInstanceOf(ZodError);
    const saved = await updateEntry(deps, A, owner, entry.id, {
      version: 1,
      data: { question: 'Parking?', answer: 'Free, behind the salon.' },
    });
    expect(saved.version).toBe(2);
    await expect(updateEntry(deps, A, owner, 'kb_none', { version: 1, data: faq.data })).rejects.toEqual(
      new NotFoundError('entry'),
    );
  });

  it('keeps profiles and documents off the entry update path', async () => {
    const { deps } = setup();
    await saveProfile(deps, A, owner, { name: 'Salon Ana' });
    await expect(updateEntry(deps, A, owner, 'profile', { version: 1, data: faq.data })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('never lets tenant B read, change or delete tenant A’s entries', async () => {
    const { deps } = setup();
    const entry = await createEntry(deps, A, owner, faq);
    await expect(readEntry(deps, B, entry.id)).rejects.toEqual(new NotFoundError('entry'));
    await expect(updateEntry(deps, B, owner, entry.id, { version: 1, data: faq.data })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(deleteEntry(deps, B, owner, entry.id)).rejects.toEqual(new NotFoundError('entry'));
    expect(await entriesOf(deps, B)).toEqual([]);
    expect((await readEntry(deps, A, entry.id)).version).toBe(1);
  });

  it('saves the profile on first use, then one version up each time', async () => {
    const { deps, audits } = setup();
    await expect(readProfile(deps, A)).rejects.toEqual(new NotFoundError('profile'));
    expect((await saveProfile(deps, A, owner, { name: 'Salon Ana' })).version).toBe(1);
    const second = await saveProfile(deps, A, owner, { name: 'Salon Ana', phone: '+40 700 000 000' });
    expect(second).toMatchObject({ version: 2, data: { phone: '+40 700 000 000' } });
    expect(audits.at(-1)?.details).toEqual({ fields: ['name', 'phone'] });
    await expect(readProfile(deps, B)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('patches only the fields sent, and audits those fields, not the whole profile', async () => {
    const { deps, audits } = setup();
    await saveProfile(deps, A, owner, { name: 'Salon Ana', phone: '+40 700 000 000', policies: 'Avans 30%.' });
    const patched = await patchProfile(deps, A, owner, { phone: null, address: 'Str. Lungă 1' });
    expect(patched).toMatchObject({
      version: 2,
      data: { name: 'Salon Ana', address: 'Str. Lungă 1', policies: 'Avans 30%.' },
    });
    expect(patched.data).not.toHaveProperty('phone');
    expect(audits.at(-1)?.details).toEqual({ fields: ['phone', 'address'] });
    await expect(patchProfile(deps, B, owner, { phone: '0700' })).rejects.toBeInstanceOf(InvalidInputError);
    expect((await readProfile(deps, A)).version).toBe(2);
  });

  it('uploads a document as processing, serves it back, and refuses an empty one', async () => {
    const { deps, files } = setup();
    await expect(
      uploadDocument(deps, A, owner, { fileName: 'a.txt', contentType: 'text/plain', bytes: Buffer.alloc(0) }),
    ).rejects.toEqual(new InvalidInputError('The document is empty.', [{ field: '(body)', message: 'empty' }]));
    const doc = await uploadDocument(deps, A, owner, {
      fileName: 'prices.txt',
      contentType: 'text/plain',
      bytes: Buffer.from('Manicure 80 RON'),
    });
    expect(doc).toMatchObject({ kind: 'document', data: { status: 'processing', size: 15, fileName: 'prices.txt' } });
    expect((await readDocumentOriginal(deps, A, doc.id)).bytes.toString()).toBe('Manicure 80 RON');
    await expect(readDocumentText(deps, A, doc.id)).rejects.toEqual(
      new ConflictError('The text is still being extracted; try again in a moment.'),
    );
    await deps.entries.updateEntry(A, doc.id, (e) =>
      e.kind === 'document' ? { ...e, data: { ...e.data, status: 'failed', error: 'too many pages' } } : undefined,
    );
    await expect(readDocumentText(deps, A, doc.id)).rejects.toEqual(
      new ConflictError('Extraction failed: too many pages.'),
    );
    await expect(readDocumentOriginal(deps, B, doc.id)).rejects.toEqual(new NotFoundError('document'));
    expect(files.names()).toEqual([`${A}/documents/${doc.id}/original`]);
  });

  it('deletes a document with its files, and only documents on the document path', async () => {
    const { deps, files } = setup();
    const entry = await createEntry(deps, A, owner, faq);
    const doc = await uploadDocument(deps, A, owner, {
      fileName: 'a.txt',
      contentType: 'text/plain',
      bytes: Buffer.from('x'),
    });
    await files.putText(A, doc.id, 'x');
    await expect(deleteDocument(deps, A, owner, entry.id)).rejects.toEqual(new NotFoundError('document'));
    await expect(deleteDocument(deps, B, owner, doc.id)).rejects.toEqual(new NotFoundError('document'));
    await deleteDocument(deps, A, owner, doc.id);
    expect(files.names()).toEqual([]);
    expect((await entriesOf(deps, A)).map((e) => e.id)).toEqual([entry.id]);
    await deleteEntry(deps, A, owner, entry.id);
    expect(await entriesOf(deps, A)).toEqual([]);
    expect((await knowledgeStatus(deps, A)).version).toBe(4);
  });

  it('lists entries a page at a time, oldest first, with tokens only for that tenant and that filter', async () => {
    const { deps } = setup();
    const made = [];
    for (const question of ['One?', 'Two?', 'Three?'])
      made.push(await createEntry(deps, A, owner, { kind: 'faq', data: { question, answer: 'Yes.' } }));
    const first = await listEntries(deps, A, undefined, { ...PAGE, limit: 2 });
    expect(first.items.map((e) => e.id)).toEqual(made.slice(0, 2).map((e) => e.id));
    const token = first.continuationToken as string;
    const second = await listEntries(deps, A, undefined, { ...PAGE, limit: 2, token });
    expect(second.items.map((e) => e.id)).toEqual([made[2]?.id]);
    expect(second.continuationToken).toBeUndefined();
    await expect(listEntries(deps, B, undefined, { ...PAGE, token })).rejects.toMatchObject({ name: 'PageTokenError' });
    await expect(listEntries(deps, A, 'service', { ...PAGE, token })).rejects.toMatchObject({ name: 'PageTokenError' });
  });

  it('forgets one tenant’s entries and files and leaves the other’s', async () => {
    const { deps, files } = setup();
    await createEntry(deps, A, owner, faq);
    await createEntry(deps, B, owner, faq);
    await uploadDocument(deps, A, owner, { fileName: 'a.txt', contentType: 'text/plain', bytes: Buffer.from('a') });
    expect(await deps.entries.forgetTenant(A)).toBe(3);
    expect(await files.forgetTenant(A)).toBe(1);
    expect(await entriesOf(deps, A)).toEqual([]);
    expect(await entriesOf(deps, B)).toHaveLength(1);
    expect((await knowledgeStatus(deps, B)).version).toBe(1);
  });
});
