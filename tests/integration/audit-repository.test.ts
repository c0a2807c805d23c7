import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditDoc } from '../../shared/audit/audit.js';
import { cosmosAuditRepository } from '../../shared/audit/audit-repository.js';
import { CosmosStore } from '../../shared/platform/cosmos.js';
import { CorruptDocumentError } from '../../shared/platform/repository.js';

describe('audit repository on Cosmos', () => {
  const store = new CosmosStore({
    endpoint: inject('cosmosEndpoint'),
    key: inject('cosmosKey'),
    database: `audit-repo-${randomUUID().slice(0, 8)}`,
  });
  const repo = cosmosAuditRepository(store);
  const page = { secret: 'page-secret-for-tests', kind: 'v1-audit-list', limit: 2 };
  const entry = (tenantId: string, minute: number) =>
    auditDoc(
      { tenantId, action: 'settings.update', actor: { sub: 'auth0|o', role: 'owner' } },
      new Date(Date.UTC(2026, 2, 1, 10, minute)),
      'k',
    );

  beforeAll(async () => {
    await store.ensure();
  });
  afterAll(async () => {
    await store.database.delete().catch(() => undefined);
    store.dispose();
  });

  it('pages a tenant’s entries newest first with signed tokens, and refuses a corrupt entry', async () => {
    for (const minute of [1, 3, 2]) await repo.append(entry('tn_a', minute));
    await repo.append(entry('tn_b', 4));
    const first = await repo.page('tn_a', page);
    expect(first.items.map((e) => e.at)).toEqual(['2026-03-01T10:03:00.000Z', '2026-03-01T10:02:00.000Z']);
    const second = await repo.page('tn_a', { ...page, token: first.continuationToken });
    expect(second.items.map((e) => e.at)).toEqual(['2026-03-01T10:01:00.000Z']);
    expect((await repo.page('tn_b', { ...page, limit: 10 })).items).toHaveLength(1);

    await store.container('audit').items.create({ ...entry('tn_c', 5), actor: 'someone' });
    await expect(repo.page('tn_c', page)).rejects.toThrow(CorruptDocumentError);
  });

  it('forgetTenant removes only that tenant’s entries', async () => {
    for (const minute of [1, 2]) await repo.append(entry('tn_gone', minute));
    await repo.append(entry('tn_kept', 1));
    expect(await repo.forgetTenant('tn_gone')).toBe(2);
    expect((await repo.page('tn_gone', page)).items).toEqual([]);
    expect((await repo.page('tn_kept', page)).items).toHaveLength(1);
  });
});
