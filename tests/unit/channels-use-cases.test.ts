import { describe, expect, it } from 'vitest';
import { type ChannelRepository, memoryChannelRepository } from '../../shared/channels/channel-repository.js';
import { connectChannel, TokenRejectedError } from '../../shared/channels/connect-channel.js';
import { disconnectChannel } from '../../shared/channels/disconnect-channel.js';
import { recordSendPolicy } from '../../shared/channels/policy-enforcement.js';
import { GraphError } from '../../shared/messaging/index.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../../shared/platform/domain-errors.js';

const clock = { now: () => new Date('2026-12-01T10:00:00Z') };
const TOKEN = 'EAA-page-token-long-enough';

/** A Graph API that says the token is Page `page`'s, and records what was asked of it. */
function fakeGraph(page: string, options: { linkedInstagram?: string; refuse?: boolean } = {}) {
  const calls: string[] = [];
  return {
    calls,
    async me() {
      if (options.refuse) throw new GraphError(400, 190, undefined, undefined, 'expired');
      return { id: page };
    },
    instagramAccountOf: async () => options.linkedInstagram,
    async subscribeApp(pageId: string) {
      calls.push(`subscribe:${pageId}`);
    },
    async unsubscribeApp(pageId: string) {
      calls.push(`unsubscribe:${pageId}`);
    },
  };
}

function deps(channels: ChannelRepository, graph = fakeGraph('100')) {
  const audited: string[] = [];
  return {
    audited,
    graph,
    connect: {
      channels,
      graph,
      clock,
      seal: (_t: string, _a: string, token: string) => ({ v: 1 as const, iv: 'iv', ct: token, tag: 'tag' }),
      audit: async (action: string) => {
        audited.push(action);
      },
    },
    disconnect: {
      channels,
      graph,
      clock,
      open: () => TOKEN,
      audit: async (action: string) => {
        audited.push(action);
      },
    },
  };
}

const claim = {
  platform: 'messenger' as const,
  accountId: '100',
  pageId: '100',
  pageAccessToken: TOKEN,
  name: 'Salon',
};

describe('channel use-cases on the memory repository', () => {
  it('connects a proven Page, claims its route, subscribes and audits in that order', async () => {
    const channels = memoryChannelRepository();
    const d = deps(channels);
    const channel = await connectChannel(d.connect, 'tenant-a', claim);
    expect(channel).toMatchObject({ id: 'ch_messenger_100', tenantId: 'tenant-a', status: 'connected' });
    expect(await channels.getRoute('messenger:100')).toEqual({
      id: 'messenger:100',
      tenantId: 'tenant-a',
      channelId: 'ch_messenger_100',
    });
    expect(d.graph.calls).toEqual(['subscribe:100']);
    expect(d.audited).toEqual(['channel.connect', 'channel.token_used_for_subscription']);
  });

  it('refuses a token that does not prove the account, and a token Meta rejects', async () => {
    const channels = memoryChannelRepository();
    await expect(connectChannel(deps(channels, fakeGraph('999')).connect, 'tenant-a', claim)).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    const rejected = connectChannel(deps(channels, fakeGraph('100', { refuse: true })).connect, 'tenant-a', claim);
    await expect(rejected).rejects.toBeInstanceOf(TokenRejectedError);
    await expect(rejected).rejects.toThrow('Graph API error 190. Log in with Facebook again.');
    expect(await channels.getRoute('messenger:100')).toBeUndefined();
  });

  it('cross-tenant: B cannot connect, see, disconnect or free the route of A’s account', async () => {
    const channels = memoryChannelRepository();
    await connectChannel(deps(channels).connect, 'tenant-a', claim);
    const b = deps(channels);
    await expect(connectChannel(b.connect, 'tenant-b', claim)).rejects.toEqual(
      new ConflictError('This account is connected to another Aliat account.'),
    );
    expect(b.graph.calls).toEqual([]);
    expect(await channels.list('tenant-b')).toEqual([]);
    expect(await channels.get('tenant-b', 'ch_messenger_100')).toBeUndefined();
    await expect(disconnectChannel(b.disconnect, 'tenant-b', 'ch_messenger_100')).rejects.toEqual(
      new NotFoundError('channel'),
    );
    expect((await channels.get('tenant-a', 'ch_messenger_100'))?.status).toBe('connected');
    expect((await channels.getRoute('messenger:100'))?.tenantId).toBe('tenant-a');
  });

  it('disconnects: unsubscribes, drops the token, frees the route; then another tenant may connect', async () => {
    const channels = memoryChannelRepository();
    const a = deps(channels);
    await connectChannel(a.connect, 'tenant-a', claim);
    const saved = await disconnectChannel(a.disconnect, 'tenant-a', 'ch_messenger_100');
    expect(saved).toMatchObject({ status: 'disconnected', statusReason: 'disconnected_by_user' });
    expect(saved.token).toBeUndefined();
    expect((await channels.get('tenant-a', 'ch_messenger_100'))?.token).toBeUndefined();
    expect(a.graph.calls).toEqual(['subscribe:100', 'unsubscribe:100']);
    expect(await channels.getRoute('messenger:100')).toBeUndefined();
    await connectChannel(deps(channels).connect, 'tenant-b', claim);
    // A's old channel disconnecting again must not free B's route.
    await disconnectChannel(a.disconnect, 'tenant-a', 'ch_messenger_100');
    expect((await channels.getRoute('messenger:100'))?.tenantId).toBe('tenant-b');
  });

  it('applies Meta’s policy events in order: an older event never undoes a newer one', async () => {
    const channels = memoryChannelRepository();
    await connectChannel(deps(channels).connect, 'tenant-a', claim);
    const ref = { id: 'ch_messenger_100', tenantId: 'tenant-a' };
    expect(await recordSendPolicy(channels, clock, ref, true, 200)).toBe(true);
    expect(await recordSendPolicy(channels, clock, ref, false, 100)).toBe(false);
    expect((await channels.get('tenant-a', ref.id))?.sendPolicy).toEqual({ blocked: true, at: 200 });
    // Tenant B naming A's channel changes nothing.
    expect(await recordSendPolicy(channels, clock, { ...ref, tenantId: 'tenant-b' }, false, 300)).toBe(false);
    expect((await channels.get('tenant-a', ref.id))?.sendPolicy?.blocked).toBe(true);
  });

  it('forgetTenant removes only that tenant’s channels and routes', async () => {
    const channels = memoryChannelRepository();
    await connectChannel(deps(channels).connect, 'tenant-a', claim);
    await connectChannel(deps(channels, fakeGraph('200')).connect, 'tenant-b', {
      ...claim,
      accountId: '200',
      pageId: '200',
    });
    expect(await channels.forgetTenant('tenant-a')).toBe(2);
    expect(await channels.list('tenant-a')).toEqual([]);
    expect(await channels.getRoute('messenger:100')).toBeUndefined();
    expect(await channels.list('tenant-b')).toHaveLength(1);
    expect((await channels.getRoute('messenger:200'))?.tenantId).toBe('tenant-b');
    expect(await channels.listConnected()).toHaveLength(1);
  });
});
