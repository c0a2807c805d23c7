import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CosmosStore } from '../../shared/platform/cosmos.js';
import { CorruptDocumentError } from '../../shared/platform/repository.js';
import { openExportRecord } from '../../shared/privacy/exports.js';
import { cosmosPrivacyRecordsRepository } from '../../shared/privacy/privacy-records-repository.js';
import { closeDeletionRequest, findDeletionRequest, openDeletionRequest } from '../../shared/privacy/requests.js';

const clock = { now: () => new Date('2026-12-01T10:00:00Z') };

describe('PrivacyRecordsRepository on the embedded Cosmos server', () => {
  const store = new CosmosStore({
    endpoint: inject('cosmosEndpoint'),
    key: inject('cosmosKey'),
    database: `privacy-repo-${randomUUID().slice(0, 8)}`,
  });
  const records = cosmosPrivacyRecordsRepository(store);
  beforeAll(() => store.ensure());
  afterAll(() => store.dispose());

  it('opens and completes a deletion request', async () => {
    const request = await openDeletionRequest(records, clock, 'end-user', 'ref-1');
    await closeDeletionRequest(
      records,
      clock,
      request.code,
      { contacts: 1 },
      { pagesChecked: 2, pageScopedIds: 1, ids: 2 },
    );
    expect(await findDeletionRequest(records, request.code)).toMatchObject({
      status: 'completed',
      result: 'deleted',
      counts: { contacts: 1 },
      matched: { pagesChecked: 2, pageScopedIds: 1, ids: 2 },
    });
  });

  it('refuses a corrupt stored record with CorruptDocumentError', async () => {
    await store.container('privacy').items.upsert({ id: 'ts_contact_bad', type: 'tombstone', kind: 'nobody' });
    await expect(records.getTombstone('ts_contact_bad')).rejects.toBeInstanceOf(CorruptDocumentError);
    await store
      .container('privacy')
      .items.upsert({ id: 'ts_contact_bad2', type: 'tombstone', kind: 'contact', erasedAt: '2026-12-01T00:00:00Z' });
    await expect(records.tombstonesSince(new Date(0))).rejects.toBeInstanceOf(CorruptDocumentError);
  });

  it('forgetTenant removes that tenant’s export records only, and keeps receipts and tombstones', async () => {
    const a = await openExportRecord(records, clock, 'tenant', 'ref-tenant-a');
    const b = await openExportRecord(records, clock, 'tenant', 'ref-tenant-b');
    const receipt = await openDeletionRequest(records, clock, 'account', 'ref-tenant-a');
    expect(await records.forgetTenant('ref-tenant-a')).toBe(1);
    expect(await records.getExport(a.id)).toBeUndefined();
    expect((await records.getExport(b.id))?.subjectRef).toBe('ref-tenant-b');
    expect((await records.getRequest(receipt.id))?.subjectRef).toBe('ref-tenant-a');
  });
});
