import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ContactDoc, cosmosContactRepository } from '../../shared/contacts/index.js';
import type { ConversationDoc, MessageDoc } from '../../shared/conversations/documents.js';
import { cosmosConversationRepository, cosmosMessageRepository } from '../../shared/conversations/index.js';
import { CosmosStore } from '../../shared/platform/cosmos.js';
import { CorruptDocumentError } from '../../shared/platform/repository.js';

const A = 'tn_repo_a';
const B = 'tn_repo_b';
/** Holds the corrupt documents, so the other tests read clean ones. */
const C = 'tn_repo_c';
const AT = '2026-12-05T12:00:00.000Z';
const SECRET = 'integration-page-token-secret-0123456789';

function conversation(tenantId: string, id: string, contactId = `ct_${id}`): ConversationDoc {
  return {
    id,
    tenantId,
    type: 'conversation',
    channelId: 'ch_instagram_1',
    contactId,
    platform: 'instagram',
    state: 'bot',
    transitions: [],
    answeredThrough: 0,
    unread: 0,
    createdAt: AT,
    updatedAt: AT,
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
    text: `Hello ${id}`,
    timestamp,
    status: 'received',
    senderId: 'igsid',
    recipientId: 'account',
    createdAt: AT,
    updatedAt: AT,
  };
}

function contact(tenantId: string, id: string): ContactDoc {
  return {
    id,
    tenantId,
    type: 'contact',
    channelId: 'ch_instagram_1',
    platform: 'instagram',
    platformUserId: 'igsid_shared',
    name: `Name ${id}`,
    createdAt: AT,
    updatedAt: AT,
  };
}

describe('conversation, message and contact repositories against the embedded Cosmos server', () => {
  const store = new CosmosStore({
    endpoint: inject('cosmosEndpoint'),
    key: inject('cosmosKey'),
    database: `conversations-${randomUUID().slice(0, 8)}`,
  });
  const conversations = cosmosConversationRepository(store);
  const messages = cosmosMessageRepository(store);
  const contacts = cosmosContactRepository(store);
  beforeAll(() => store.ensure());
  afterAll(() => store.dispose());

  it('refuses a corrupt stored document with CorruptDocumentError, naming the field and not the value', async () => {
    const { transitions: _gone, ...broken } = conversation(C, 'cv_broken');
    await store.container('conversations').items.create({ ...broken, contactId: 'secret@example.com' });
    const error = await conversations.get(C, 'cv_broken').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptDocumentError);
    expect((error as Error).message).toContain('transitions');
    expect((error as Error).message).not.toContain('secret@example.com');
    await store.container('messages').items.create({ ...message(C, 'cv_x', 'msg_broken', 1), timestamp: 'soon' });
    await expect(messages.inConversation(C, 'cv_x')).rejects.toBeInstanceOf(CorruptDocumentError);
    await store
      .container('contacts')
      .items.create({ ...contact(C, 'ct_broken'), platformUserId: 'igsid_broken', platform: 'telegram' });
    await expect(contacts.get(C, 'ct_broken')).rejects.toBeInstanceOf(CorruptDocumentError);
    await expect(conversations.update(C, 'cv_broken', (c) => c)).rejects.toBeInstanceOf(CorruptDocumentError);
  });

  it('creates once, keeps system fields through an etag update, and stays in the tenant partition', async () => {
    expect(await conversations.createOnce(A, conversation(A, 'cv_one'))).toBe(true);
    expect(await conversations.createOnce(A, conversation(A, 'cv_one'))).toBe(false);
    const saved = await conversations.update(A, 'cv_one', (c) => ({ ...c, unread: 2 }));
    expect(saved).toMatchObject({ unread: 2, _etag: expect.any(String) });
    expect(await conversations.get(B, 'cv_one')).toBeUndefined();
    expect(await conversations.update(B, 'cv_one', (c) => ({ ...c, unread: 9 }))).toBeUndefined();
    await expect(conversations.createOnce(B, conversation(A, 'cv_two'))).rejects.toThrow(/another tenant/);
    // Concurrent read-modify-writes all land.
    await Promise.all(
      Array.from({ length: 5 }, () => conversations.update(A, 'cv_one', (c) => ({ ...c, unread: c.unread + 1 }))),
    );
    expect((await conversations.get(A, 'cv_one'))?.unread).toBe(7);
  });

  it('lists, pages and searches with signed tokens, one tenant at a time', async () => {
    for (const [n, t] of [0, 1000, 1000, 2000].entries())
      await messages.createOnce(A, message(A, 'cv_one', `msg_${n}`, t));
    await messages.createOnce(B, message(B, 'cv_one', 'msg_b', 500));
    expect((await messages.inConversation(A, 'cv_one', { after: 0, upTo: 1000 })).map((m) => m.id).sort()).toEqual([
      'msg_1',
      'msg_2',
    ]);
    expect((await messages.window(A, 'cv_one', { order: 'DESC', top: 2 })).map((m) => m.id)[0]).toBe('msg_3');
    expect((await messages.latest(A, 'cv_one'))?.id).toBe('msg_3');
    const page = { secret: SECRET, kind: 'v1-messages-search', limit: 2 };
    const first = await messages.search(A, 'HELLO', page);
    expect(first.items).toHaveLength(2);
    const second = await messages.search(A, 'HELLO', { ...page, token: first.continuationToken });
    expect([...first.items, ...second.items].map((m) => m.id).sort()).toEqual(['msg_0', 'msg_1', 'msg_2', 'msg_3']);
    const listed = await conversations.list(A, { assignee: null }, { ...page, kind: 'v1-conversations-list' });
    expect(listed.items.map((c) => c.id)).toEqual(['cv_one']);
    expect((await conversations.summaryRows(A)).length).toBe(1);
  });

  it('reads what the export, the insights rebuild and the knowledge lineage need', async () => {
    await messages.createOnce(A, {
      ...message(A, 'cv_one', 'msg_reply', 3000),
      direction: 'out',
      status: 'sent',
      author: 'bot',
      lineage: { entryIds: ['kb_1'], handoffReason: 'asked_for_human' },
    });
    expect((await messages.repliesUsingEntry(A, 'kb_1')).map((m) => m.id)).toEqual(['msg_reply']);
    expect(await messages.repliesUsingEntry(B, 'kb_1')).toEqual([]);
    expect((await messages.figures(A)).find((m) => m.id === 'msg_reply')).toMatchObject({
      handoffReason: 'asked_for_human',
      author: 'bot',
    });
    expect((await messages.all(A)).map((m) => m.id)).toContain('msg_reply');
    expect(await conversations.histories(A)).toEqual([{ id: 'cv_one', platform: 'instagram', transitions: [] }]);
    expect((await conversations.all(B)).map((c) => c.id)).toEqual([]);
    expect(await messages.forgetSubject(A, { messageId: 'msg_reply' })).toBe(1);
  });

  it('forgets by subject and by tenant, leaving other tenants alone', async () => {
    await contacts.createOnce(A, contact(A, 'ct_a'));
    await contacts.createOnce(B, contact(B, 'ct_b'));
    expect((await contacts.withPlatformUserId('igsid_shared')).map((c) => c.id).sort()).toEqual(['ct_a', 'ct_b']);
    expect((await contacts.cards(A, ['ct_a', 'ct_b'])).map((c) => c.id)).toEqual(['ct_a']);
    await conversations.createOnce(B, conversation(B, 'cv_one'));
    expect(await messages.forgetSubject(A, { messageId: 'msg_0' })).toBe(1);
    expect(await conversations.forgetSubject(A, { contactId: 'ct_cv_one' })).toBe(1);
    expect(await messages.forgetTenant(A)).toBe(3);
    expect(await conversations.forgetTenant(A)).toBe(0);
    expect(await contacts.forgetSubject(A, 'ct_a')).toBe(1);
    expect(await contacts.forgetTenant(A)).toBe(0);
    // Forgetting a tenant reads ids only, so even documents that no longer parse go.
    expect(await messages.forgetTenant(C)).toBe(1);
    expect(await conversations.forgetTenant(C)).toBe(1);
    expect(await contacts.forgetTenant(C)).toBe(1);
    expect(await messages.forgetSubject(B, { conversationId: 'cv_one' })).toBe(1);
    expect(await messages.get(B, 'msg_b')).toBeUndefined();
    expect(await conversations.get(B, 'cv_one')).toBeDefined();
    expect(await contacts.get(B, 'ct_b')).toBeDefined();
  });
});
