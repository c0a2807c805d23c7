import { describe, expect, it } from 'vitest';
import { type ContactDoc, memoryContactRepository } from '../../shared/contacts/index.js';
import { assignConversation } from '../../shared/conversations/assign-conversation.js';
import { changeConversationState } from '../../shared/conversations/change-conversation-state.js';
import type { AuditEntry, ConversationDeps } from '../../shared/conversations/conversation-deps.js';
import type { ConversationDoc, MessageDoc } from '../../shared/conversations/documents.js';
import {
  memoryConversationRepository,
  memoryMessageRepository,
  recordTransition,
} from '../../shared/conversations/index.js';
import { listConversations } from '../../shared/conversations/list-conversations.js';
import { markConversationRead } from '../../shared/conversations/mark-read.js';
import { readMessages } from '../../shared/conversations/read-messages.js';
import { sendHumanReply } from '../../shared/conversations/send-human-reply.js';
import { memberKey, unreadFor } from '../../shared/conversations/unread.js';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  WindowClosedError,
} from '../../shared/platform/domain-errors.js';
import { problemOf } from '../../shared/platform/problem.js';
import type { RealtimeEvent } from '../../shared/realtime/index.js';

const A = 'tn_alpha';
const B = 'tn_beta';
const NOW = new Date('2026-12-05T12:00:00.000Z');
const HOUR = 3600_000;
const SECRET = 'unit-test-page-token-secret-0123456789';
const agent = { sub: 'auth0|agent', role: 'agent' };

function conversation(tenantId: string, id: string, extra: Partial<ConversationDoc> = {}): ConversationDoc {
  return {
    id,
    tenantId,
    type: 'conversation',
    channelId: 'ch_instagram_1',
    contactId: `ct_${id}`,
    platform: 'instagram',
    state: 'bot',
    transitions: [],
    answeredThrough: 0,
    unread: 0,
    lastInboundAt: new Date(NOW.getTime() - HOUR).toISOString(),
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    ...extra,
  };
}

function contact(tenantId: string, id: string): ContactDoc {
  return {
    id,
    tenantId,
    type: 'contact',
    channelId: 'ch_instagram_1',
    platform: 'instagram',
    platformUserId: `igsid_${id}`,
    name: 'Maria',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
}

function message(tenantId: string, conversationId: string, id: string, timestamp: number): MessageDoc {
  return {
    id,
    tenantId,
    type: 'message',
    conversationId,
    contactId: `ct_${conversationId}`,
    channelId: 'ch_instagram_1',
    platform: 'instagram',
    direction: 'in',
    text: `text of ${id}`,
    timestamp,
    status: 'received',
    senderId: 'igsid',
    recipientId: 'account',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
}

function world() {
  const audits: AuditEntry[] = [];
  const queued: unknown[] = [];
  const announced: RealtimeEvent[] = [];
  const published: MessageDoc[] = [];
  const transitioned: ConversationDoc[] = [];
  const members = new Set([`${A}/${agent.sub}`, `${A}/auth0|owner`]);
  const deps: ConversationDeps = {
    conversations: memoryConversationRepository(),
    messages: memoryMessageRepository(),
    contacts: memoryContactRepository(),
    clock: { now: () => NOW },
    transitioned: async (saved) => {
      transitioned.push(saved);
    },
    messageCreated: async (m) => {
      published.push(m);
    },
    unreadChanged: async () => {},
    announce: async (_tenantId, event) => {
      announced.push(event);
    },
    enqueueSend: async (job) => {
      queued.push(job);
    },
    audit: async (entry) => {
      audits.push(entry);
    },
    isMember: async (tenantId, sub) => members.has(`${tenantId}/${sub}`),
  };
  return { deps, audits, queued, announced, published, transitioned };
}

async function catching(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('sending a human reply', () => {
  it('takes the conversation over, stores the parts as pending and queues them once', async () => {
    const { deps, audits, queued, published } = world();
    await deps.conversations.createOnce(A, conversation(A, 'cv_one'));
    await deps.contacts.createOnce(A, contact(A, 'ct_cv_one'));
    const parts = await sendHumanReply(deps, {
      tenantId: A,
      conversationId: 'cv_one',
      actor: agent,
      text: 'See you on Saturday',
      takeover: true,
    });
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ status: 'pending', author: 'human', recipientId: 'igsid_ct_cv_one' });
    expect(await deps.messages.get(A, parts[0]?.id as string)).toMatchObject({ text: 'See you on Saturday' });
    expect((await deps.conversations.get(A, 'cv_one'))?.state).toBe('human');
    expect(queued).toEqual([expect.objectContaining({ tenantId: A, messageIds: [parts[0]?.id], attempt: 0 })]);
    expect(published.map((m) => m.id)).toEqual([parts[0]?.id]);
    expect(audits.map((a) => a.action)).toEqual(['conversation.takeover', 'conversation.reply']);
  });

  it('leaves the state alone when asked to', async () => {
    const { deps, audits } = world();
    await deps.conversations.createOnce(A, conversation(A, 'cv_one'));
    await sendHumanReply(deps, { tenantId: A, conversationId: 'cv_one', actor: agent, text: 'Hi', takeover: false });
    expect((await deps.conversations.get(A, 'cv_one'))?.state).toBe('bot');
    expect(audits.map((a) => a.action)).toEqual(['conversation.reply']);
  });

  it('refuses a restricted conversation as a conflict and a closed window as 422, storing nothing', async () => {
    const { deps, queued } = world();
    await deps.conversations.createOnce(A, conversation(A, 'cv_restricted', { state: 'restricted' }));
    await deps.conversations.createOnce(A, conversation(A, 'cv_silent', { lastInboundAt: undefined }));
    const week = new Date(NOW.getTime() - 8 * 24 * HOUR).toISOString();
    await deps.conversations.createOnce(A, conversation(A, 'cv_old', { lastInboundAt: week }));
    const reply = (conversationId: string) =>
      sendHumanReply(deps, { tenantId: A, conversationId, actor: agent, text: 'Hi', takeover: true });

    const restricted = await catching(reply('cv_restricted'));
    expect(restricted).toBeInstanceOf(ConflictError);
    expect(problemOf(restricted)).toMatchObject({ status: 409, detail: 'Processing is restricted for this contact.' });

    const silent = await catching(reply('cv_silent'));
    expect(silent).toBeInstanceOf(WindowClosedError);
    expect(problemOf(silent)).toMatchObject({
      status: 422,
      kind: 'messaging-window-closed',
      title: 'The messaging window is closed',
      detail: 'The customer has not written in this conversation.',
    });
    const old = await catching(reply('cv_old'));
    expect((old as Error).message).toMatch(/^More than 7 days have passed/);
    expect(queued).toEqual([]);
    expect((await deps.conversations.get(A, 'cv_old'))?.state).toBe('bot');
  });

  it("never replies in another tenant's conversation", async () => {
    const { deps, queued } = world();
    await deps.conversations.createOnce(A, conversation(A, 'cv_one'));
    const error = await catching(
      sendHumanReply(deps, { tenantId: B, conversationId: 'cv_one', actor: agent, text: 'Hi', takeover: true }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(problemOf(error)).toMatchObject({ status: 404, detail: 'No such conversation.' });
    expect(queued).toEqual([]);
    expect((await deps.conversations.get(A, 'cv_one'))?.state).toBe('bot');
  });
});

describe('changing a conversation state', () => {
  it('takes over and hands back idempotently, auditing only real changes', async () => {
    const { deps, audits, transitioned } = world();
    await deps.conversations.createOnce(A, conversation(A, 'cv_one'));
    const change = (c: 'takeover' | 'handback' | 'resolve') =>
      changeConversationState(deps, { tenantId: A, conversationId: 'cv_one', change: c, actor: agent });
    expect((await change('takeover')).state).toBe('human');
    expect((await change('takeover')).transitions).toHaveLength(1);
    expect((await change('handback')).state).toBe('bot');
    expect((await change('handback')).transitions).toHaveLength(2);
    const resolved = await change('resolve');
    expect(resolved.resolvedAt).toBe(NOW.toISOString());
    expect(audits.map((a) => a.action)).toEqual(['conversation.takeover', 'conversation.hand_back']);
    expect(transitioned).toHaveLength(3);
  });

  it('answers a transition the state machine refuses as a conflict', async () => {
    const { deps } = world();
    await deps.conversations.createOnce(A, conversation(A, 'cv_one', { state: 'restricted' }));
    const error = await catching(
      changeConversationState(deps, { tenantId: A, conversationId: 'cv_one', change: 'takeover', actor: agent }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe('Cannot takeover a conversation in state restricted');
  });

  it("cannot move another tenant's conversation", async () => {
    const { deps } = world();
    await deps.conversations.createOnce(A, conversation(A, 'cv_one'));
    expect(
      await catching(
        changeConversationState(deps, { tenantId: B, conversationId: 'cv_one', change: 'takeover', actor: agent }),
      ),
    ).toBeInstanceOf(NotFoundError);
    expect(await recordTransition(deps, B, 'cv_one', { type: 'takeover', by: 'x' })).toBeUndefined();
    expect((await deps.conversations.get(A, 'cv_one'))?.transitions).toEqual([]);
  });
});

describe('read marks and assignment', () => {
  it('marks read per member', async () => {
    const { deps } = world();
    await deps.conversations.createOnce(A, conversation(A, 'cv_one', { inboundCount: 3, unread: 3 }));
    const saved = await markConversationRead(deps, A, 'cv_one', agent.sub);
    expect(unreadFor(saved, memberKey(agent.sub))).toBe(0);
    expect(unreadFor(saved, memberKey('auth0|owner'))).toBe(3);
    expect(await catching(markConversationRead(deps, B, 'cv_one', agent.sub))).toBeInstanceOf(NotFoundError);
  });

  it('assigns to members only, unassigns with null, and tells the live inbox', async () => {
    const { deps, announced } = world();
    await deps.conversations.createOnce(A, conversation(A, 'cv_one'));
    const assign = (assignee: string | null, tenantId = A) =>
      assignConversation(deps, { tenantId, conversationId: 'cv_one', assignee, by: agent.sub });
    const stranger = await catching(assign('auth0|stranger'));
    expect(stranger).toBeInstanceOf(InvalidInputError);
    expect(problemOf(stranger)).toMatchObject({
      status: 400,
      detail: 'The assignee is not a member of this account.',
      errors: [{ field: 'assignee', message: 'not a member' }],
    });
    expect((await assign('auth0|owner')).assignee).toBe('auth0|owner');
    expect((await assign(null)).assignee).toBeUndefined();
    expect(announced.map((e) => e.type === 'conversation.assigned' && e.assignee)).toEqual(['auth0|owner', null]);
    expect(await catching(assign(agent.sub, B))).toBeInstanceOf(NotFoundError);
  });
});

describe('the inbox list and message pages', () => {
  it("filters by the member's unread count and assignee, pages with tokens, and shows only the tenant's own", async () => {
    const { deps } = world();
    for (let i = 0; i < 5; i++)
      await deps.conversations.createOnce(
        A,
        conversation(A, `cv_a${i}`, {
          updatedAt: new Date(NOW.getTime() - i * 1000).toISOString(),
          inboundCount: 1,
          ...(i === 0 ? { assignee: agent.sub, readBy: { [memberKey(agent.sub)]: 1 } } : {}),
        }),
      );
    await deps.conversations.createOnce(B, conversation(B, 'cv_b0'));
    await deps.contacts.createOnce(A, contact(A, 'ct_cv_a0'));
    await deps.messages.createOnce(A, message(A, 'cv_a0', 'msg_1', NOW.getTime()));
    const list = (query: Parameters<typeof listConversations>[1]['query'], token?: string) =>
      listConversations(deps, {
        tenantId: A,
        sub: agent.sub,
        query,
        page: { secret: SECRET, kind: 'v1-conversations-list', limit: 2, token },
      });
    const first = await list({});
    expect(first.items.map((c) => c.id)).toEqual(['cv_a0', 'cv_a1']);
    expect(first.extras.get('cv_a0')).toMatchObject({ contact: { name: 'Maria' }, last: { id: 'msg_1' } });
    const second = await list({}, first.continuationToken);
    expect(second.items.map((c) => c.id)).toEqual(['cv_a2', 'cv_a3']);
    expect((await list({ unread: false })).items.map((c) => c.id)).toEqual(['cv_a0']);
    expect((await list({ assignee: 'me' })).items.map((c) => c.id)).toEqual(['cv_a0']);
    expect((await list({ assignee: 'none', unread: true })).items.map((c) => c.id)).toEqual(['cv_a1', 'cv_a2']);
    // A token from other filters is stale.
    await expect(list({ unread: true }, first.continuationToken)).rejects.toMatchObject({ reason: 'stale' });
  });

  it('pages messages newest first with ties, and refuses before and after together', async () => {
    const { deps } = world();
    await deps.conversations.createOnce(A, conversation(A, 'cv_one'));
    const times = [0, 1000, 1000, 1000, 2000, 3000];
    for (const [n, t] of times.entries()) await deps.messages.createOnce(A, message(A, 'cv_one', `msg_${n}`, t));
    await deps.messages.createOnce(B, message(B, 'cv_one', 'msg_other_tenant', 500));
    const seen: string[] = [];
    let before: string | undefined;
    do {
      const page = await readMessages(deps, SECRET, { tenantId: A, conversationId: 'cv_one', limit: 2, before });
      seen.push(...page.items.map((m) => m.id));
      before = page.before;
    } while (before);
    expect(seen).toEqual(['msg_5', 'msg_4', 'msg_3', 'msg_2', 'msg_1', 'msg_0']);
    const error = await catching(
      readMessages(deps, SECRET, { tenantId: A, conversationId: 'cv_one', limit: 2, before: 'x', after: 'y' }),
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(problemOf(error)).toMatchObject({ status: 400, detail: 'Use before or after, not both.' });
    expect(
      await catching(readMessages(deps, SECRET, { tenantId: B, conversationId: 'cv_missing', limit: 2 })),
    ).toBeInstanceOf(NotFoundError);
  });
});

describe('conversation and message repositories in memory', () => {
  it("never let one tenant read, change or delete another tenant's documents", async () => {
    const { deps } = world();
    await deps.conversations.createOnce(A, conversation(A, 'cv_one'));
    await deps.messages.createOnce(A, message(A, 'cv_one', 'msg_1', 1));
    expect(await deps.conversations.get(B, 'cv_one')).toBeUndefined();
    expect(await deps.messages.get(B, 'msg_1')).toBeUndefined();
    expect(await deps.conversations.update(B, 'cv_one', (c) => ({ ...c, unread: 9 }))).toBeUndefined();
    expect(await deps.messages.update(B, 'msg_1', (m) => ({ ...m, text: 'changed' }))).toBeUndefined();
    expect(await deps.messages.inConversation(B, 'cv_one')).toEqual([]);
    expect(await deps.conversations.forgetSubject(B, { conversationId: 'cv_one' })).toBe(0);
    expect(await deps.messages.forgetSubject(B, { conversationId: 'cv_one' })).toBe(0);
    expect(await deps.conversations.forgetTenant(B)).toBe(0);
    expect(await deps.messages.forgetTenant(B)).toBe(0);
    await expect(deps.conversations.createOnce(B, conversation(A, 'cv_two'))).rejects.toThrow(/another tenant/);
    expect((await deps.conversations.get(A, 'cv_one'))?.unread).toBe(0);
    expect((await deps.messages.get(A, 'msg_1'))?.text).toBe('text of msg_1');
  });

  it('creates once, and forgets by contact, by conversation and by tenant', async () => {
    const { deps } = world();
    expect(await deps.conversations.createOnce(A, conversation(A, 'cv_one'))).toBe(true);
    expect(await deps.conversations.createOnce(A, conversation(A, 'cv_one'))).toBe(false);
    await deps.conversations.createOnce(A, conversation(A, 'cv_two'));
    await deps.messages.createOnce(A, message(A, 'cv_one', 'msg_1', 1));
    await deps.messages.createOnce(A, message(A, 'cv_two', 'msg_2', 2));
    await deps.messages.createOnce(A, message(A, 'cv_two', 'msg_3', 3));
    expect(await deps.messages.forgetSubject(A, { contactId: 'ct_cv_one' })).toBe(1);
    expect(await deps.conversations.forgetSubject(A, { contactId: 'ct_cv_one' })).toBe(1);
    expect(await deps.messages.forgetSubject(A, { messageId: 'msg_2' })).toBe(1);
    expect(await deps.conversations.forgetSubject(A, { conversationId: 'cv_two' })).toBe(1);
    expect(await deps.messages.forgetTenant(A)).toBe(1);
    expect(await deps.conversations.forgetTenant(A)).toBe(0);
  });

  it('queries the messages of a conversation by typed conditions, oldest first', async () => {
    const { deps } = world();
    const out = (id: string, t: number, status: MessageDoc['status']): MessageDoc => ({
      ...message(A, 'cv_one', id, t),
      direction: 'out',
      status,
      mid: `m_${id}`,
    });
    await deps.messages.createOnce(A, out('msg_b', 20, 'sent'));
    await deps.messages.createOnce(A, out('msg_a', 10, 'delivered'));
    await deps.messages.createOnce(A, out('msg_c', 30, 'sending'));
    await deps.messages.createOnce(A, message(A, 'cv_one', 'msg_in', 15));
    const ids = async (q: Parameters<typeof deps.messages.inConversation>[2]) =>
      (await deps.messages.inConversation(A, 'cv_one', q)).map((m) => m.id);
    expect(await ids({ direction: 'out', statusIn: ['sent', 'delivered'] })).toEqual(['msg_a', 'msg_b']);
    expect(await ids({ mid: 'm_msg_c' })).toEqual(['msg_c']);
    expect(await ids({ mid: 'm_msg_c', notId: 'msg_c' })).toEqual([]);
    expect(await ids({ after: 10, upTo: 20 })).toEqual(['msg_in', 'msg_b']);
    await deps.messages.setProgress(A, 'msg_b', 'read', 25);
    expect(await deps.messages.get(A, 'msg_b')).toMatchObject({ status: 'read', readAt: 25 });
  });
});
