import { WebPubSubClient, WebPubSubJsonProtocol } from '@azure/web-pubsub-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { getTenant } from '../../shared/accounts/index.js';
import type { RealtimeEvent } from '../../shared/realtime/events.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { makeTenant } from '../helpers/tenants.js';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;

/** A live-inbox client as a browser would run it: negotiate, connect, collect every event. */
async function connect(host: LocalHost, token: string, reliable = false, autoReconnect = true) {
  const events: RealtimeEvent[] = [];
  const negotiated = await api(host, token, 'POST', '/api/v1/realtime/negotiate');
  expect(negotiated.status).toBe(200);
  const client = new WebPubSubClient(negotiated.body.url, {
    autoReconnect,
    ...(reliable ? {} : { protocol: WebPubSubJsonProtocol() }),
  });
  client.on('group-message', (e) => events.push(e.message.data as RealtimeEvent));
  client.on('server-message', (e) => events.push(e.message.data as RealtimeEvent));
  await client.start();
  /** Resolves with the first event that matches, or fails after a generous wait (not a timing assertion). */
  const next = (match: (e: RealtimeEvent) => boolean, waitMs = 10_000) =>
    new Promise<RealtimeEvent>((resolve, reject) => {
      const started = Date.now();
      const poll = () => {
        const found = events.find(match);
        if (found) return resolve(found);
        if (Date.now() - started > waitMs)
          return reject(new Error(`no matching event among ${JSON.stringify(events)}`));
        setTimeout(poll, 10);
      };
      poll();
    });
  return { client, events, next, access: negotiated.body };
}

describe('live inbox over Web PubSub', () => {
  let host: LocalHost;
  let a: Tenant;
  let b: Tenant;

  beforeAll(async () => {
    host = await startTestHost({ values: { BURST_WAIT_MS: '10' } });
    a = await makeTenant(host);
    b = await makeTenant(host);
  });
  afterAll(async () => {
    await host?.stop();
  });

  it("publishes a new DM to its tenant's group only: tenant B never receives A's events", async () => {
    const inboxA = await connect(host, a.owner);
    const inboxB = await connect(host, b.owner, true);
    try {
      expect(inboxA.access.groups).toEqual([`tenant.${a.id}`]);
      const userId = `u${Date.now()}`;
      await postWebhook(
        host.url,
        dm({ object: 'instagram', accountId: a.account, userId, text: 'Is Saturday free?' }),
        host.runtime.settings.META_APP_SECRET,
      );
      const created = await inboxA.next((e) => e.type === 'message.created' && e.direction === 'in');
      expect(created).toMatchObject({ type: 'message.created', preview: 'Is Saturday free?', direction: 'in' });
      const unread = await inboxA.next((e) => e.type === 'unread.changed');
      expect(unread).toMatchObject({
        conversationId: (created as { conversationId: string }).conversationId,
        unread: 1,
      });
      // The bot's answer and its delivery status follow.
      await inboxA.next((e) => e.type === 'message.created' && e.direction === 'out');
      await inboxA.next((e) => e.type === 'message.status' && e.status === 'sent');
      await host.broker.whenIdle();

      await postWebhook(
        host.url,
        dm({ object: 'instagram', accountId: b.account, userId, text: 'B only' }),
        host.runtime.settings.META_APP_SECRET,
      );
      await inboxB.next((e) => e.type === 'message.created' && e.direction === 'in');
      await host.broker.whenIdle();
      expect(inboxB.events.some((e) => e.type === 'message.created' && e.preview === 'Is Saturday free?')).toBe(false);
      expect(inboxA.events.some((e) => e.type === 'message.created' && e.preview === 'B only')).toBe(false);
      expect(
        inboxB.events.every(
          (e) =>
            !('conversationId' in e) ||
            !inboxA.events.some((x) => 'conversationId' in x && x.conversationId === e.conversationId),
        ),
      ).toBe(true);
    } finally {
      await inboxA.client.stop();
      await inboxB.client.stop();
    }
  });

  it("closes a removed member's open live inbox, and a deleted account's (outside review H1)", async () => {
    const t = await makeTenant(host);
    // Without reconnecting: a browser that reconnects negotiates again, which a removed member is refused.
    const agent = await connect(host, t.agent, false, false);
    const owner = await connect(host, t.owner, false, false);
    const open = (userId: string) => host.webPubSub.openConnections().some((c) => c.userId === userId);
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
      return done();
    };
    expect(open(agent.access.userId)).toBe(true);
    const agentSub = `auth0|agent-${t.id}`;
    expect((await api(host, t.owner, 'DELETE', `/api/v1/members/${encodeURIComponent(agentSub)}`)).status).toBe(204);
    // The service checks the URL only when a client connects: without a close, the removed agent would go on listening.
    expect(await until(() => !open(agent.access.userId))).toBe(true);
    expect(open(owner.access.userId)).toBe(true);
    const company = (await getTenant(host.runtime, t.id))?.companyName;
    const deletion = await api(host, t.owner, 'DELETE', '/api/v1/account', { body: { confirm: `DELETE ${company}` } });
    expect(deletion.status).toBe(202);
    await host.broker.whenIdle();
    expect(await until(() => !open(owner.access.userId))).toBe(true);
    expect((await api(host, t.agent, 'POST', '/api/v1/realtime/negotiate')).status).toBe(401);
    await Promise.all([agent.client.stop(), owner.client.stop()]);
  });

  it("refuses to let a client join or send to another tenant's group, or connect with a forged token", async () => {
    const inboxB = await connect(host, b.owner);
    try {
      await expect(inboxB.client.joinGroup(`tenant.${a.id}`)).rejects.toThrow();
      await expect(inboxB.client.sendToGroup(`tenant.${a.id}`, { type: 'fake' }, 'json')).rejects.toThrow();
      await postWebhook(
        host.url,
        dm({ object: 'instagram', accountId: a.account, userId: `u${Date.now()}`, text: 'still private' }),
        host.runtime.settings.META_APP_SECRET,
      );
      await host.broker.whenIdle();
      expect(inboxB.events.some((e) => e.type === 'message.created' && e.preview === 'still private')).toBe(false);
    } finally {
      await inboxB.client.stop();
    }
    const forged = new URL(inboxB.access.url);
    const [h, p] = (forged.searchParams.get('access_token') ?? '').split('.');
    forged.searchParams.set('access_token', `${h}.${p}.${'A'.repeat(43)}`);
    const client = new WebPubSubClient(forged.href, {
      protocol: WebPubSubJsonProtocol(),
      reconnectRetryOptions: { maxRetries: 0 },
    });
    await expect(client.start()).rejects.toThrow();
  });

  it('publishes state changes and handoffs, and negotiate needs a token', async () => {
    expect((await api(host, undefined, 'POST', '/api/v1/realtime/negotiate')).status).toBe(401);
    const inboxA = await connect(host, a.owner);
    try {
      await postWebhook(
        host.url,
        dm({ object: 'instagram', accountId: a.account, userId: `u${Date.now()}`, text: 'vreau să vorbesc cu un om' }),
        host.runtime.settings.META_APP_SECRET,
      );
      const handoff = await inboxA.next((e) => e.type === 'conversation.handoff');
      expect(handoff).toMatchObject({ type: 'conversation.handoff' });
      const conversationId = (handoff as { conversationId: string }).conversationId;
      expect(
        await inboxA.next(
          (e) => e.type === 'conversation.state' && e.conversationId === conversationId && e.state === 'human',
        ),
      ).toBeDefined();
      await host.broker.whenIdle();
      await api(host, a.agent, 'POST', `/api/v1/conversations/${conversationId}/handback`);
      expect(
        await inboxA.next(
          (e) => e.type === 'conversation.state' && e.conversationId === conversationId && e.state === 'bot',
        ),
      ).toMatchObject({ event: 'hand_back' });
    } finally {
      await inboxA.client.stop();
    }
  });
});
