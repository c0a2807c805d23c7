import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import type { ContactDoc } from '../../shared/contacts/contact-document.js';
import type { ConversationDoc, MessageDoc } from '../../shared/conversations/documents.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { makeTenant } from '../helpers/tenants.js';

type Tenant = Awaited<ReturnType<typeof makeTenant>>;

describe('an inbox a frontend can render in one call per screen', () => {
  let host: LocalHost;
  let a: Tenant;
  let b: Tenant;

  async function converse(
    t: Tenant,
    text: string,
    userId = `u${Date.now()}${Math.random().toString().slice(2, 6)}`,
    timestamp?: number,
  ) {
    await postWebhook(
      host.url,
      dm({ object: 'instagram', accountId: t.account, userId, text, timestamp }),
      host.runtime.settings.META_APP_SECRET,
    );
    await host.broker.whenIdle();
    const { resources: contacts } = await host.runtime.cosmos
      .container('contacts')
      .items.query<ContactDoc>(`SELECT * FROM c WHERE c.tenantId = '${t.id}' AND c.platformUserId = '${userId}'`)
      .fetchAll();
    const contact = contacts[0] as ContactDoc;
    const { resources } = await host.runtime.cosmos
      .container('conversations')
      .items.query<ConversationDoc>(`SELECT * FROM c WHERE c.tenantId = '${t.id}' AND c.contactId = '${contact.id}'`)
      .fetchAll();
    return { userId, contact, conversation: resources[0] as ConversationDoc };
  }

  beforeAll(async () => {
    host = await startTestHost({ values: { BURST_WAIT_MS: '10' } });
    a = await makeTenant(host);
    b = await makeTenant(host);
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('gives each row the contact, the last message, the state and your own unread count, and totals for badges', async () => {
    const c = await converse(a, 'vreau să vorbesc cu un om');
    const list = await api(host, a.agent, 'GET', '/api/v1/conversations');
    const row = list.body.items.find((x: { id: string }) => x.id === c.conversation.id);
    expect(row).toMatchObject({
      state: 'human',
      unread: 1,
      contact: { id: c.contact.id, name: c.contact.name, avatarUrl: c.contact.profilePicUrl },
    });
    expect(row.contact.name).toBeTruthy();
    expect(row.lastMessage).toMatchObject({ direction: 'out', author: 'bot' });
    expect(Date.parse(row.lastMessage.at)).toBeGreaterThan(0);
    const summary = await api(host, a.agent, 'GET', '/api/v1/inbox/summary');
    expect(summary.body).toMatchObject({
      unreadConversations: 1,
      unreadMessages: 1,
      waitingForHuman: 1,
      assignedToMe: 0,
    });
    expect(summary.body.byChannel).toEqual([
      {
        channelId: `ch_instagram_${a.account}`,
        platform: 'instagram',
        conversations: 1,
        unreadConversations: 1,
        waitingForHuman: 1,
      },
    ]);
    // Marking read is per member: the agent's read leaves the owner's count alone.
    await api(host, a.agent, 'POST', `/api/v1/conversations/${c.conversation.id}/read`);
    expect((await api(host, a.agent, 'GET', '/api/v1/inbox/summary')).body.unreadConversations).toBe(0);
    expect((await api(host, a.owner, 'GET', '/api/v1/inbox/summary')).body.unreadConversations).toBe(1);
    expect(
      (await api(host, a.agent, 'GET', '/api/v1/conversations?unread=true')).body.items.map(
        (x: { id: string }) => x.id,
      ),
    ).not.toContain(c.conversation.id);
    expect(
      (await api(host, a.owner, 'GET', '/api/v1/conversations?unread=true')).body.items.map(
        (x: { id: string }) => x.id,
      ),
    ).toContain(c.conversation.id);
    expect((await api(host, b.owner, 'GET', '/api/v1/inbox/summary')).body.conversations).toBe(0);
  });

  it('pages messages newest first with opaque before and after cursors, in both directions, ties included', async () => {
    const c = await converse(b, 'first');
    const base = Date.now() - 60_000;
    const container = host.runtime.cosmos.container('messages');
    // Twelve messages; several share a millisecond, as the parts of one split reply do.
    const times = [0, 1000, 1000, 1000, 2000, 3000, 3000, 4000, 5000, 5000, 5000, 6000];
    for (const [n, dt] of times.entries()) {
      const doc: MessageDoc = {
        id: `msg_seed_${String(n).padStart(2, '0')}`,
        tenantId: b.id,
        type: 'message',
        conversationId: c.conversation.id,
        contactId: c.contact.id,
        channelId: c.conversation.channelId,
        platform: 'instagram',
        direction: 'in',
        text: `seed ${n}`,
        timestamp: base + dt,
        status: 'received',
        senderId: c.userId,
        recipientId: b.account,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      };
      await container.items.create(doc);
    }
    const all = (
      await container.items
        .query<MessageDoc>(`SELECT * FROM c WHERE c.conversationId = '${c.conversation.id}'`)
        .fetchAll()
    ).resources;
    const expected = all.sort((x, y) => y.timestamp - x.timestamp || (x.id < y.id ? 1 : -1)).map((m) => m.id);
    const path = `/api/v1/conversations/${c.conversation.id}/messages`;

    const backwards: string[] = [];
    let page = await api(host, b.agent, 'GET', `${path}?limit=4`);
    const newestAfter = page.body.after;
    for (;;) {
      backwards.push(...page.body.items.map((m: { id: string }) => m.id));
      for (const m of page.body.items) expect(m.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      if (!page.body.before) break;
      expect(page.body.continuationToken).toBe(page.body.before);
      page = await api(host, b.agent, 'GET', `${path}?limit=4&before=${encodeURIComponent(page.body.before)}`);
    }
    expect(backwards).toEqual(expected);

    // Forward from the oldest message: every newer one exactly once, each page newest first.
    const oldest = await api(
      host,
      b.agent,
      'GET',
      `${path}?limit=1&before=${encodeURIComponent((await api(host, b.agent, 'GET', `${path}?limit=${expected.length - 1}`)).body.before)}`,
    );
    expect(oldest.body.items.map((m: { id: string }) => m.id)).toEqual([expected.at(-1)]);
    const forwards: string[] = [];
    let after = oldest.body.after;
    for (let i = 0; i < 10; i++) {
      const next = await api(host, b.agent, 'GET', `${path}?limit=5&after=${encodeURIComponent(after)}`);
      if (next.body.items.length === 0) break;
      const ids = next.body.items.map((m: { id: string }) => m.id);
      forwards.unshift(...ids);
      after = next.body.after;
    }
    expect(forwards).toEqual(expected.slice(0, -1));
    // Nothing newer yet: an empty page that hands back a cursor to poll with.
    const idle = await api(host, b.agent, 'GET', `${path}?after=${encodeURIComponent(newestAfter)}`);
    expect(idle.body.items).toEqual([]);
    expect(idle.body.after).toBe(newestAfter);

    const other = await converse(b, 'other conversation');
    const flip = (token: string, at: number) =>
      `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    // Garbage, a forged signature, and a changed body under the old signature.
    for (const bad of ['nonsense', flip(newestAfter, newestAfter.length - 8), flip(newestAfter, 3)]) {
      const res = await api(host, b.agent, 'GET', `${path}?before=${encodeURIComponent(bad)}`);
      expect(res.status, `cursor ${bad}`).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect(other.conversation.id).not.toBe(c.conversation.id);
    expect(
      (
        await api(
          host,
          b.agent,
          'GET',
          `/api/v1/conversations/${other.conversation.id}/messages?after=${encodeURIComponent(newestAfter)}`,
        )
      ).status,
      'cursor of another conversation',
    ).toBe(400);
    expect(
      (
        await api(
          host,
          b.agent,
          'GET',
          `${path}?after=${encodeURIComponent(newestAfter)}&before=${encodeURIComponent(newestAfter)}`,
        )
      ).status,
    ).toBe(400);
  });

  it('searches contacts by name and messages by text, within the tenant only', async () => {
    const c = await converse(a, 'Do you do keratin treatments?');
    const name = c.contact.name as string;
    const byName = await api(
      host,
      a.owner,
      'GET',
      `/api/v1/contacts?q=${encodeURIComponent(name.slice(0, 4).toUpperCase())}`,
    );
    expect(byName.body.items.map((x: { id: string }) => x.id)).toContain(c.contact.id);
    // The sandbox reuses a few names, so tenant B may have its own namesake; never A's contact.
    const fromB = await api(host, b.owner, 'GET', `/api/v1/contacts?q=${encodeURIComponent(name)}`);
    expect(fromB.body.items.map((x: { id: string }) => x.id)).not.toContain(c.contact.id);
    expect(fromB.body.items.every((x: { channelId: string }) => x.channelId === `ch_instagram_${b.account}`)).toBe(
      true,
    );
    const hits = await api(host, a.agent, 'GET', '/api/v1/messages?q=KERATIN');
    expect(hits.body.items).toContainEqual(
      expect.objectContaining({
        conversationId: c.conversation.id,
        direction: 'in',
        preview: 'Do you do keratin treatments?',
      }),
    );
    expect((await api(host, b.agent, 'GET', '/api/v1/messages?q=keratin')).body.items).toEqual([]);
    expect((await api(host, a.agent, 'GET', '/api/v1/messages?q=k')).status).toBe(400);
  });

  it('takes the conversation over when a person replies, unless told not to; a second takeover changes nothing', async () => {
    const c = await converse(a, 'hello');
    const id = c.conversation.id;
    // Without a knowledge base the bot handed off; give it back first.
    expect((await api(host, a.agent, 'POST', `/api/v1/conversations/${id}/handback`)).body.state).toBe('bot');
    const keep = await api(host, a.agent, 'POST', `/api/v1/conversations/${id}/messages`, {
      body: { text: 'Quick note, the bot continues.', takeover: false },
    });
    expect(keep.status).toBe(202);
    expect((await api(host, a.agent, 'GET', `/api/v1/conversations/${id}`)).body.state).toBe('bot');
    await api(host, a.agent, 'POST', `/api/v1/conversations/${id}/messages`, {
      body: { text: 'I will take it from here.' },
    });
    const taken = await api(host, a.agent, 'GET', `/api/v1/conversations/${id}`);
    expect(taken.body.state).toBe('human');
    const again = await api(host, a.agent, 'POST', `/api/v1/conversations/${id}/takeover`);
    expect(again.status).toBe(200);
    expect(again.body.transitions).toEqual(taken.body.transitions);
  });

  it('never lets the bot answer, after the burst wait, a message a person has already answered (frontend review)', async () => {
    const t = await makeTenant(host, { bot: { burstWaitMs: 1500 } });
    const userId = `u${Date.now()}`;
    await postWebhook(
      host.url,
      dm({ object: 'instagram', accountId: t.account, userId, text: 'Is Saturday at 10 free?' }),
      host.runtime.settings.META_APP_SECRET,
    );
    let id: string | undefined;
    await vi.waitFor(
      async () => {
        const row = (await api(host, t.agent, 'GET', '/api/v1/conversations')).body.items[0];
        expect(row?.lastInboundAt).toBeDefined();
        id = row.id;
      },
      { timeout: 5000, interval: 25 },
    );
    // Within the wait, a person answers the message shown to them, gives the conversation back and resolves it.
    const shown = (await api(host, t.agent, 'GET', `/api/v1/conversations/${id}/messages`)).body.items[0].id;
    expect(
      (
        await api(host, t.agent, 'POST', `/api/v1/conversations/${id}/messages`, {
          body: { text: 'Yes, see you!', inReplyTo: shown },
        })
      ).status,
    ).toBe(202);
    await api(host, t.agent, 'POST', `/api/v1/conversations/${id}/handback`);
    await api(host, t.agent, 'POST', `/api/v1/conversations/${id}/resolve`);
    await host.broker.whenIdle();
    await host.graph.echoesDelivered();
    expect(
      host.graph
        .messages()
        .filter((m) => m.recipient === userId)
        .map((m) => m.text),
    ).toEqual(['Yes, see you!']);
    const after = await api(host, t.agent, 'GET', `/api/v1/conversations/${id}`);
    expect(after.body.state).not.toBe('human');
    // A new message after the person's reply is the bot's to answer again.
    await postWebhook(
      host.url,
      dm({ object: 'instagram', accountId: t.account, userId, text: 'And on Sunday?' }),
      host.runtime.settings.META_APP_SECRET,
    );
    await host.broker.whenIdle();
    expect(host.graph.messages().filter((m) => m.recipient === userId)).toHaveLength(2);
  });

  it('leaves to the bot a message that came in while the person was writing, and refuses a reply to a message not the customer’s (review)', async () => {
    const t = await makeTenant(host, { bot: { burstWaitMs: 1500 } });
    const userId = `u${Date.now()}`;
    const say = (text: string, timestamp = Date.now()) =>
      postWebhook(
        host.url,
        dm({ object: 'instagram', accountId: t.account, userId, text, timestamp }),
        host.runtime.settings.META_APP_SECRET,
      );
    await say('Is Saturday at 10 free?', Date.now() - 60_000);
    await host.broker.whenIdle();
    const id = (await api(host, t.agent, 'GET', '/api/v1/conversations')).body.items[0].id;
    const shown = (await api(host, t.agent, 'GET', `/api/v1/conversations/${id}/messages`)).body.items.find(
      (m: { direction: string }) => m.direction === 'in',
    ).id;
    await api(host, t.agent, 'POST', `/api/v1/conversations/${id}/handback`);
    // Not a message at all, the bot's own message, and a customer message of another conversation (another tenant's
    // id reads as none): each refused before anything is sent.
    const ours = (await api(host, t.agent, 'GET', `/api/v1/conversations/${id}/messages`)).body.items.find(
      (m: { direction: string }) => m.direction === 'out',
    ).id;
    const other = await converse(t, 'another customer');
    const elsewhere = (
      await api(host, t.agent, 'GET', `/api/v1/conversations/${other.conversation.id}/messages`)
    ).body.items.find((m: { direction: string }) => m.direction === 'in').id;
    const sentBefore = host.graph.messages().length;
    for (const inReplyTo of ['msg_nope', ours, elsewhere]) {
      const notTheirs = await api(host, t.agent, 'POST', `/api/v1/conversations/${id}/messages`, {
        body: { text: 'Yes!', takeover: false, inReplyTo },
      });
      expect(notTheirs.status, inReplyTo).toBe(400);
      expect(notTheirs.body.errors).toEqual([
        { field: 'inReplyTo', message: 'must be a message the customer sent in this conversation' },
      ]);
    }
    expect(host.graph.messages().length).toBe(sentBefore);
    const before = host.graph.messages().filter((m) => m.recipient === userId).length;
    // A second question arrives while the person writes their answer to the first.
    await say('Also, how much is a haircut?');
    await vi.waitFor(
      async () =>
        expect((await api(host, t.agent, 'GET', `/api/v1/conversations/${id}/messages`)).body.items).toHaveLength(
          before + 2,
        ),
      { timeout: 5000, interval: 25 },
    );
    const reply = (body: Record<string, unknown>) =>
      api(host, t.agent, 'POST', `/api/v1/conversations/${id}/messages`, { body });
    expect((await reply({ text: 'Yes, Saturday at 10 is free!', takeover: false, inReplyTo: shown })).status).toBe(202);
    await host.broker.whenIdle();
    const sent = host.graph
      .messages()
      .filter((m) => m.recipient === userId)
      .slice(before);
    expect(sent[0]?.text).toBe('Yes, Saturday at 10 is free!');
    // The haircut question, which the person never saw, is still answered by the bot.
    expect(sent).toHaveLength(2);
  });

  it('sends once for a double click with the same Idempotency-Key, and refuses the key for another request', async () => {
    const c = await converse(a, 'double click test');
    await host.broker.whenIdle();
    const path = `/api/v1/conversations/${c.conversation.id}/messages`;
    const before = host.graph.messages().filter((m) => m.recipient === c.userId).length;
    const headers = { 'idempotency-key': `click-${Date.now()}` };
    const [one, two] = await Promise.all([
      api(host, a.agent, 'POST', path, { body: { text: 'See you at 10!' }, headers }),
      api(host, a.agent, 'POST', path, { body: { text: 'See you at 10!' }, headers }),
    ]);
    const three = await api(host, a.agent, 'POST', path, { body: { text: 'See you at 10!' }, headers });
    await host.broker.whenIdle();
    expect([one.status, two.status, three.status]).toEqual([202, 202, 202]);
    expect(two.body).toEqual(one.body);
    expect(three.headers.get('idempotency-replayed')).toBe('true');
    expect(host.graph.messages().filter((m) => m.recipient === c.userId && m.text === 'See you at 10!')).toHaveLength(
      1,
    );
    expect(host.graph.messages().filter((m) => m.recipient === c.userId).length).toBe(before + 1);
    const reused = await api(host, a.agent, 'POST', path, { body: { text: 'Something else' }, headers });
    expect(reused.status).toBe(422);
    expect(reused.body.type).toMatch(/idempotency-key-reused$/);

    const invite = {
      body: { email: 'once@team.example', role: 'agent' },
      headers: { 'idempotency-key': `invite-${Date.now()}` },
    };
    const first = await api(host, a.owner, 'POST', '/api/v1/invitations', invite);
    const second = await api(host, a.owner, 'POST', '/api/v1/invitations', invite);
    expect(second.body.id).toBe(first.body.id);
    expect(
      (await api(host, a.owner, 'GET', '/api/v1/invitations')).body.items.filter(
        (i: { email: string }) => i.email === 'once@team.example',
      ),
    ).toHaveLength(1);
    expect(
      (
        await api(host, a.agent, 'POST', path, {
          body: { text: 'x' },
          headers: { 'idempotency-key': 'bad key with spaces' },
        })
      ).status,
    ).toBe(400);
  });

  it('assigns conversations to members and filters by assignee', async () => {
    const c = await converse(a, 'assign me');
    const id = c.conversation.id;
    const agentSub = `auth0|agent-${a.id}`;
    expect(
      (await api(host, a.owner, 'PUT', `/api/v1/conversations/${id}/assignee`, { body: { assignee: 'auth0|nobody' } }))
        .status,
    ).toBe(400);
    const assigned = await api(host, a.owner, 'PUT', `/api/v1/conversations/${id}/assignee`, {
      body: { assignee: agentSub },
    });
    expect(assigned.body.assignee).toBe(agentSub);
    expect(
      (await api(host, a.agent, 'GET', '/api/v1/conversations?assignee=me')).body.items.map(
        (x: { id: string }) => x.id,
      ),
    ).toEqual([id]);
    expect(
      (
        await api(host, a.owner, 'GET', `/api/v1/conversations?assignee=${encodeURIComponent(agentSub)}`)
      ).body.items.map((x: { id: string }) => x.id),
    ).toEqual([id]);
    expect(
      (await api(host, a.owner, 'GET', '/api/v1/conversations?assignee=none')).body.items.map(
        (x: { id: string }) => x.id,
      ),
    ).not.toContain(id);
    expect((await api(host, a.agent, 'GET', '/api/v1/inbox/summary')).body.assignedToMe).toBe(1);
    const unassigned = await api(host, a.agent, 'PUT', `/api/v1/conversations/${id}/assignee`, {
      body: { assignee: null },
    });
    expect(unassigned.body.assignee).toBeUndefined();
    expect(
      (await api(host, a.owner, 'GET', '/api/v1/conversations?assignee=none')).body.items.map(
        (x: { id: string }) => x.id,
      ),
    ).toContain(id);
  });

  it("hands a removed member's conversations back to the team (outside review M2)", async () => {
    const t = await makeTenant(host);
    const c = await converse(t, 'who has this one?');
    const id = c.conversation.id;
    const agentSub = `auth0|agent-${t.id}`;
    await api(host, t.owner, 'PUT', `/api/v1/conversations/${id}/assignee`, { body: { assignee: agentSub } });
    expect((await api(host, t.owner, 'DELETE', `/api/v1/members/${encodeURIComponent(agentSub)}`)).status).toBe(204);
    const row = (await api(host, t.owner, 'GET', '/api/v1/conversations?assignee=none')).body.items.find(
      (x: { id: string }) => x.id === id,
    );
    expect(row).toBeDefined();
    expect(row.assignee).toBeUndefined();
    expect(
      (await api(host, t.owner, 'GET', `/api/v1/conversations?assignee=${encodeURIComponent(agentSub)}`)).body.items,
    ).toEqual([]);
  });
});
