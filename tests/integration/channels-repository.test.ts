import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ChannelDoc } from '../../shared/channels/channel-documents.js';
import { cosmosChannelRepository } from '../../shared/channels/channel-repository.js';
import { CosmosStore } from '../../shared/platform/cosmos.js';
import { CorruptDocumentError } from '../../shared/platform/repository.js';

function channel(tenantId: string, accountId: string): ChannelDoc {
  return {
    id: `ch_messenger_${accountId}`,
    tenantId,
    type: 'channel',
    platform: 'messenger',
    accountId,
    sendAsId: accountId,
    name: 'Salon',
    status: 'connected',
    token: { v: 1, iv: 'aXY=', ct: 'Y3Q=', tag: 'dGFn' },
    connectedAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
  };
}

describe('ChannelRepository on the embedded Cosmos server', () => {
  const store = new CosmosStore({
    endpoint: inject('cosmosEndpoint'),
    key: inject('cosmosKey'),
    database: `channels-repo-${randomUUID().slice(0, 8)}`,
  });
  const repo = cosmosChannelRepository(store);
  beforeAll(() => store.ensure());
  afterAll(() => store.dispose());

  it('stores, patches and updates a channel within its tenant only', async () => {
    await repo.save(channel('tenant-a', '100'));
    expect(await repo.claimRoute({ id: 'messenger:100', tenantId: 'tenant-a', channelId: 'ch_messenger_100' })).toBe(
      true,
    );
    expect(await repo.claimRoute({ id: 'messenger:100', tenantId: 'tenant-b', channelId: 'ch_messenger_100' })).toBe(
      false,
    );
    expect((await repo.getRoute('messenger:100'))?.tenantId).toBe('tenant-a');
    expect(await repo.get('tenant-b', 'ch_messenger_100')).toBeUndefined();
    await repo.patch('tenant-a', 'ch_messenger_100', { status: 'needs_reconnection', statusReason: 'token_invalid' });
    const updated = await repo.update('tenant-a', 'ch_messenger_100', (c) => ({
      ...c,
      sendPolicy: { blocked: true, at: 5 },
    }));
    expect(updated).toMatchObject({ status: 'needs_reconnection', sendPolicy: { blocked: true, at: 5 } });
    expect(await repo.update('tenant-b', 'ch_messenger_100', (c) => c)).toBeUndefined();
    expect((await repo.list('tenant-a')).map((c) => c.id)).toEqual(['ch_messenger_100']);
    expect(await repo.list('tenant-b')).toEqual([]);
  });

  it('refuses a corrupt stored channel with CorruptDocumentError', async () => {
    await store.container('channels').items.upsert({ id: 'ch_messenger_666', tenantId: 'tenant-c', type: 'channel' });
    await expect(repo.get('tenant-c', 'ch_messenger_666')).rejects.toBeInstanceOf(CorruptDocumentError);
    await expect(repo.list('tenant-c')).rejects.toBeInstanceOf(CorruptDocumentError);
    await expect(repo.listPages()).rejects.toBeInstanceOf(CorruptDocumentError);
    await store.container('channels').item('ch_messenger_666', 'tenant-c').delete();
  });

  it('forgetTenant removes that tenant’s channels and routes, and nobody else’s', async () => {
    await repo.save(channel('tenant-b', '200'));
    await repo.claimRoute({ id: 'messenger:200', tenantId: 'tenant-b', channelId: 'ch_messenger_200' });
    expect(await repo.forgetTenant('tenant-a')).toBe(2);
    expect(await repo.get('tenant-a', 'ch_messenger_100')).toBeUndefined();
    expect(await repo.getRoute('messenger:100')).toBeUndefined();
    expect((await repo.get('tenant-b', 'ch_messenger_200'))?.tenantId).toBe('tenant-b');
    expect((await repo.getRoute('messenger:200'))?.tenantId).toBe('tenant-b');
    expect((await repo.listPages()).map((p) => p.sendAsId)).toContain('200');
  });
});
