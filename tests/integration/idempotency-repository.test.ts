import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CosmosStore } from '../../shared/platform/cosmos.js';
import { cosmosIdempotencyRepository } from '../../shared/platform/idempotency-repository.js';
import { CorruptDocumentError } from '../../shared/platform/repository.js';

describe('idempotency repository on Cosmos', () => {
  const store = new CosmosStore({
    endpoint: inject('cosmosEndpoint'),
    key: inject('cosmosKey'),
    database: `idem-repo-${randomUUID().slice(0, 8)}`,
  });
  const repo = cosmosIdempotencyRepository(store);
  const doc = (id: string, scope: string) => ({
    id,
    type: 'idempotency' as const,
    state: 'pending' as const,
    scope,
    requestHash: 'h',
    createdAt: '2026-03-01T10:00:00.000Z',
    ttl: 60,
  });

  beforeAll(async () => {
    await store.ensure();
  });
  afterAll(async () => {
    await store.database.delete().catch(() => undefined);
    store.dispose();
  });

  it('claims once, completes, releases, and refuses a corrupt record', async () => {
    expect(await repo.claim(doc('idem_1', 'tn_a'))).toBe(true);
    expect(await repo.claim(doc('idem_1', 'tn_a'))).toBe(false);
    await repo.complete({ ...doc('idem_1', 'tn_a'), state: 'done', sealed: 'x.y.z' });
    expect(await repo.get('idem_1')).toMatchObject({ state: 'done', sealed: 'x.y.z' });
    await repo.release('idem_1');
    await repo.release('idem_1');
    expect(await repo.get('idem_1')).toBeUndefined();
    await store.container('dedup').items.create({ ...doc('idem_bad', 'tn_a'), state: 'lost' });
    await expect(repo.get('idem_bad')).rejects.toThrow(CorruptDocumentError);
  });

  it('forgetTenant removes only that scope’s records', async () => {
    await repo.claim(doc('idem_g1', 'tn_gone'));
    await repo.claim(doc('idem_g2', 'tn_gone'));
    await repo.claim(doc('idem_k1', 'tn_kept'));
    expect(await repo.forgetTenant('tn_gone')).toBe(2);
    expect(await repo.get('idem_g1')).toBeUndefined();
    expect((await repo.get('idem_k1'))?.scope).toBe('tn_kept');
  });
});
