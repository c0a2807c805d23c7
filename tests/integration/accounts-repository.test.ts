import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { memberId } from '../../shared/accounts/account-schemas.js';
import { defaultBotSettings } from '../../shared/accounts/bot-settings.js';
import type { TenantDoc } from '../../shared/accounts/tenant-doc.js';
import { cosmosTenantRepository } from '../../shared/accounts/tenant-repository.js';
import { CosmosStore } from '../../shared/platform/cosmos.js';
import { CorruptDocumentError } from '../../shared/platform/repository.js';

/** The tenants container's repository through the real SDK against the embedded Cosmos server. */
describe('tenant repository on Cosmos', () => {
  const store = new CosmosStore({
    endpoint: inject('cosmosEndpoint'),
    key: inject('cosmosKey'),
    database: `accounts-repo-${randomUUID().slice(0, 8)}`,
  });
  const repo = cosmosTenantRepository(store, defaultBotSettings());
  const tenant = (id: string): TenantDoc => ({
    id,
    tenantId: id,
    type: 'tenant',
    companyName: `Company ${id}`,
    status: 'active',
    bot: defaultBotSettings(),
    createdAt: '2026-03-01T10:00:00.000Z',
  });
  const member = (tenantId: string, sub: string) => ({
    id: memberId(sub),
    tenantId,
    type: 'member' as const,
    sub,
    email: `${sub.replace('auth0|', '')}@x.example`,
    role: 'agent' as const,
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
  });
  const invitation = (tenantId: string, id: string) => ({
    id,
    tenantId,
    type: 'invitation' as const,
    email: 'new@x.example',
    role: 'agent' as const,
    secretHash: 'h',
    invitedBy: 'auth0|o',
    createdAt: '2026-03-01T10:00:00.000Z',
    expiresAt: '2026-03-08T10:00:00.000Z',
    status: 'pending' as const,
  });

  beforeAll(async () => {
    await store.ensure();
  });
  afterAll(async () => {
    await store.database.delete().catch(() => undefined);
    store.dispose();
  });

  it('creates once, updates with etags, and keeps tenants apart', async () => {
    expect(await repo.create(tenant('tn_a'))).toBe(true);
    expect(await repo.create(tenant('tn_a'))).toBe(false);
    await repo.create(tenant('tn_b'));
    expect(await repo.addMember(member('tn_a', 'auth0|ana'))).toBe(true);
    expect(await repo.addMember(member('tn_a', 'auth0|ana'))).toBe(false);
    await repo.putMember(member('tn_b', 'auth0|ana'));
    await repo.createInvitation(invitation('tn_a', 'inv_00000000000000000001'));

    const saved = await repo.update('tn_a', (t) => ({ ...t, companyName: 'Renamed' }));
    expect(saved?.companyName).toBe('Renamed');
    expect((await repo.get('tn_a'))?.companyName).toBe('Renamed');
    expect(await repo.update('tn_missing', (t) => t)).toBeUndefined();
    expect((await repo.membersWithEmail('tn_a', 'ana@x.example')).map((m) => m.sub)).toEqual(['auth0|ana']);
    expect((await repo.membershipsOf('auth0|ana')).map((m) => m.tenantId).sort()).toEqual(['tn_a', 'tn_b']);
    // Removing a membership touches that tenant's only, and says whether there was one.
    expect(await repo.removeMember('tn_b', 'auth0|ana')).toBe(true);
    expect(await repo.removeMember('tn_b', 'auth0|ana')).toBe(false);
    expect((await repo.membershipsOf('auth0|ana')).map((m) => m.tenantId)).toEqual(['tn_a']);
    // Tenant B cannot reach tenant A's invitation, nor change it.
    expect(await repo.getInvitation('tn_b', 'inv_00000000000000000001')).toBeUndefined();
    expect(await repo.updateInvitation('tn_b', 'inv_00000000000000000001', (d) => d)).toBeUndefined();
    // An id that names another kind of document is no invitation.
    expect(await repo.getInvitation('tn_a', 'tn_a')).toBeUndefined();
    const revoked = await repo.updateInvitation('tn_a', 'inv_00000000000000000001', (d) => ({
      ...d,
      status: 'revoked',
    }));
    expect(revoked?.status).toBe('revoked');
    expect((await repo.listNotDeleting()).map((t) => t.id)).toEqual(expect.arrayContaining(['tn_a', 'tn_b']));
  });

  it('repairs bad bot settings on read but refuses a tenant that lost a required field', async () => {
    const container = store.container('tenants');
    await container.items.create({ ...tenant('tn_bad_bot'), bot: { ...defaultBotSettings(), tone: 'grumpy' } });
    expect((await repo.get('tn_bad_bot'))?.bot.tone).toBe(defaultBotSettings().tone);
    // An update leaves the stored settings as they were unless it means to change them.
    await repo.update('tn_bad_bot', (t) => ({ ...t, companyName: 'X' }));
    const { resource } = await container.item('tn_bad_bot', 'tn_bad_bot').read();
    expect(resource.bot.tone).toBe('grumpy');

    const { companyName: _gone, ...broken } = tenant('tn_corrupt');
    await container.items.create(broken);
    await expect(repo.get('tn_corrupt')).rejects.toThrow(CorruptDocumentError);
    await container.items.create({ ...member('tn_corrupt', 'auth0|zed'), role: 'emperor' });
    await expect(repo.getMember('tn_corrupt', 'auth0|zed')).rejects.toThrow(CorruptDocumentError);
  });

  it('forgetTenant removes every document of that tenant and nothing of another', async () => {
    await repo.create(tenant('tn_gone'));
    await repo.addMember(member('tn_gone', 'auth0|g1'));
    await repo.createInvitation(invitation('tn_gone', 'inv_00000000000000000002'));
    await repo.create(tenant('tn_kept'));
    await repo.addMember(member('tn_kept', 'auth0|k1'));
    expect(await repo.forgetTenant('tn_gone')).toBe(3);
    expect(await repo.get('tn_gone')).toBeUndefined();
    expect(await repo.listMembers('tn_gone')).toEqual([]);
    expect(await repo.forgetTenant('tn_gone')).toBe(0);
    expect((await repo.get('tn_kept'))?.id).toBe('tn_kept');
    expect((await repo.listMembers('tn_kept')).map((m) => m.sub)).toEqual(['auth0|k1']);
  });
});
