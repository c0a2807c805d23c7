import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError } from '../../shared/platform/domain-errors.js';
import { flagChild } from '../../shared/privacy/child-flag.js';
import { deletionRequestByCode, requestEndUserDeletion } from '../../shared/privacy/end-user-deletion.js';
import type { PrivacyJob } from '../../shared/privacy/jobs.js';
import { memoryPrivacyRecordsRepository } from '../../shared/privacy/privacy-records-repository.js';
import { closeDeletionRequest, deletionStatusView } from '../../shared/privacy/requests.js';
import { EXPORTS_PER_DAY, requestTenantExport, tenantExport } from '../../shared/privacy/tenant-export.js';

const clock = { now: () => new Date('2026-12-01T10:00:00Z') };

function deps(kind: string) {
  const jobs: PrivacyJob[] = [];
  return {
    jobs,
    deps: {
      records: memoryPrivacyRecordsRepository(),
      clock,
      refOf: (id: string) => `ref:${kind}:${id}`,
      schedule: async (job: PrivacyJob) => {
        jobs.push(job);
      },
    },
  };
}

describe('privacy use-cases on the memory repository', () => {
  it('records an End-User deletion by keyed reference, schedules it, and finds it by code until completed', async () => {
    const { deps: d, jobs } = deps('end-user');
    const request = await requestEndUserDeletion(d, { platformUserId: 'psid-1', language: 'en' });
    expect(request).toMatchObject({ kind: 'end-user', status: 'pending', subjectRef: 'ref:end-user:psid-1' });
    expect(request.dueBy).toBe('2026-12-31T10:00:00.000Z');
    expect(Object.values(request)).not.toContain('psid-1');
    expect(jobs).toEqual([
      {
        kind: 'end-user-deletion',
        code: request.code,
        platformUserId: 'psid-1',
        language: 'en',
        subjectRef: 'ref:end-user:psid-1',
      },
    ]);
    expect(await deletionRequestByCode(d.records, request.code)).toEqual(request);
    await closeDeletionRequest(d.records, clock, request.code, { contacts: 0 });
    const done = await deletionRequestByCode(d.records, request.code);
    expect(deletionStatusView(done)).toMatchObject({ status: 'completed', result: 'no_data_found' });
  });

  it('answers NotFoundError for codes that are unknown or not codes at all', async () => {
    const { deps: d } = deps('end-user');
    await expect(deletionRequestByCode(d.records, 'a'.repeat(32))).rejects.toEqual(
      new NotFoundError('deletion request'),
    );
    await expect(deletionRequestByCode(d.records, '../etc')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('erases a flagged child at once and completes the receipt; an unknown contact is NotFoundError', async () => {
    const { deps: d } = deps('contact');
    const erased: string[] = [];
    const child = {
      ...d,
      contactExists: async (tenantId: string, contactId: string) => tenantId === 'tenant-a' && contactId === 'ct_1',
      eraseContact: async (_t: string, contactId: string) => {
        erased.push(contactId);
        return { conversations: 1, messages: 4 };
      },
      audit: async () => {},
    };
    await expect(flagChild(child, 'tenant-b', 'ct_1')).rejects.toEqual(new NotFoundError('contact'));
    expect(erased).toEqual([]);
    const receipt = await flagChild(child, 'tenant-a', 'ct_1');
    expect(receipt).toMatchObject({ kind: 'child', status: 'completed', result: 'deleted' });
    expect(receipt.counts).toEqual({ contacts: 1, conversations: 1, messages: 4 });
  });

  it('starts a tenant export to the owner, refusing a missing account, no address or a bad one', async () => {
    const { deps: d, jobs } = deps('tenant');
    await expect(requestTenantExport(d, 'tenant-a', undefined, undefined)).rejects.toEqual(
      new NotFoundError('account'),
    );
    await expect(requestTenantExport(d, 'tenant-a', { language: 'ro' }, undefined)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(
      requestTenantExport(d, 'tenant-a', { ownerEmail: 'not an address', language: 'ro' }, undefined),
    ).rejects.toBeInstanceOf(InvalidInputError);
    expect(jobs).toEqual([]);
    const doc = await requestTenantExport(d, 'tenant-a', { ownerEmail: 'owner@example.com', language: 'ro' }, 'x@y.z');
    expect(doc).toMatchObject({ scope: 'tenant', status: 'pending', subjectRef: 'ref:tenant:tenant-a' });
    expect(jobs).toEqual([
      {
        kind: 'export',
        exportId: doc.id,
        scope: 'tenant',
        subjectId: 'tenant-a',
        notifyTo: 'owner@example.com',
        language: 'ro',
      },
    ]);
  });

  it('prepares one tenant export at a time and at most EXPORTS_PER_DAY a day, each of which mails the owner', async () => {
    let now = new Date('2026-12-01T10:00:00Z');
    const { deps: base, jobs } = deps('tenant');
    const d = { ...base, clock: { now: () => new Date(now) } };
    const account = { ownerEmail: 'owner@example.com', language: 'en' as const };
    const later = (minutes: number) => {
      now = new Date(now.getTime() + minutes * 60_000);
    };
    const finish = async (id: string) => {
      const doc = await d.records.getExport(id);
      await d.records.saveExport({ ...(doc as NonNullable<typeof doc>), status: 'ready', blobName: `${id}.json` });
    };
    const first = await requestTenantExport(d, 'tenant-a', account, undefined);
    const pending = await requestTenantExport(d, 'tenant-a', account, undefined).catch((e) => e);
    expect(pending).toBeInstanceOf(ConflictError);
    expect(pending.message).toMatch(/still being prepared/);
    // Another tenant is not held up by this one.
    await requestTenantExport(d, 'tenant-b', account, undefined);
    await finish(first.id);
    for (let i = 1; i < EXPORTS_PER_DAY; i++) {
      later(10);
      await finish((await requestTenantExport(d, 'tenant-a', account, undefined)).id);
    }
    later(10);
    const full = await requestTenantExport(d, 'tenant-a', account, undefined).catch((e) => e);
    expect(full).toBeInstanceOf(ConflictError);
    expect(full.message).toBe(
      `At most ${EXPORTS_PER_DAY} exports a day; the next can start at 2026-12-02T10:00:00.000Z.`,
    );
    expect(full.retryAfterSeconds).toBe((new Date('2026-12-02T10:00:00Z').getTime() - now.getTime()) / 1000);
    expect(pending.problem?.type).toBe('export-pending');
    expect(jobs.filter((j) => j.kind === 'export' && j.subjectId === 'tenant-a')).toHaveLength(EXPORTS_PER_DAY);
    now = new Date('2026-12-02T10:00:01Z');
    const next = await requestTenantExport(d, 'tenant-a', account, undefined);
    // A pending export that never finished (its job lost) blocks nothing after an hour.
    later(61);
    expect((await d.records.getExport(next.id))?.status).toBe('pending');
    await expect(requestTenantExport(d, 'tenant-a', account, undefined)).resolves.toMatchObject({ status: 'pending' });
  });

  it('cross-tenant: B cannot read A’s export, and forgetting B leaves A’s records', async () => {
    const { deps: d } = deps('tenant');
    const doc = await requestTenantExport(
      d,
      'tenant-a',
      { ownerEmail: 'owner@example.com', language: 'en' },
      undefined,
    );
    expect(await tenantExport(d, 'tenant-a', doc.id)).toEqual(doc);
    await expect(tenantExport(d, 'tenant-b', doc.id)).rejects.toEqual(new NotFoundError('export'));
    expect(await d.records.forgetTenant(d.refOf('tenant-b'))).toBe(0);
    expect(await d.records.getExport(doc.id)).toEqual(doc);
    expect(await d.records.forgetTenant(d.refOf('tenant-a'))).toBe(1);
    await expect(tenantExport(d, 'tenant-a', doc.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps tombstones apart from other records and replays them by time', async () => {
    const records = memoryPrivacyRecordsRepository();
    const tombstone = {
      id: 'ts_contact_abc',
      type: 'tombstone' as const,
      kind: 'contact' as const,
      ref: 'abc',
      erasedAt: '2026-12-01T09:00:00.000Z',
      path: 'child' as const,
    };
    await records.saveTombstone(tombstone);
    expect(await records.getTombstone('ts_contact_abc')).toEqual(tombstone);
    expect(await records.getExport('ts_contact_abc')).toBeUndefined();
    expect(await records.tombstonesSince(new Date('2026-12-01T00:00:00Z'))).toEqual([tombstone]);
    expect(await records.tombstonesSince(new Date('2026-12-02T00:00:00Z'))).toEqual([]);
    expect(await records.forgetSubject('abc')).toBe(0);
    expect(await records.getTombstone('ts_contact_abc')).toEqual(tombstone);
  });
});
