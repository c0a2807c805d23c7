import { describe, expect, it } from 'vitest';
import type { ContactDeps } from '../../shared/contacts/contact-deps.js';
import { type ContactDoc, memoryContactRepository } from '../../shared/contacts/index.js';
import { rectifyContact } from '../../shared/contacts/rectify-contact.js';
import { liftContactRestriction, restrictContact } from '../../shared/contacts/restrict-contact.js';
import type { ConversationDoc } from '../../shared/conversations/documents.js';
import { memoryConversationRepository, recordTransition } from '../../shared/conversations/index.js';
import { NotFoundError } from '../../shared/platform/domain-errors.js';
import { problemOf } from '../../shared/platform/problem.js';

const A = 'tn_alpha';
const B = 'tn_beta';
const NOW = new Date('2026-12-05T12:00:00.000Z');
const owner = { sub: 'auth0|owner', role: 'owner' };

function contact(tenantId: string, id: string, extra: Partial<ContactDoc> = {}): ContactDoc {
  return {
    id,
    tenantId,
    type: 'contact',
    channelId: 'ch_messenger_1',
    platform: 'messenger',
    platformUserId: 'psid_1',
    name: 'Ana',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    ...extra,
  };
}

function conversation(tenantId: string, id: string, contactId: string): ConversationDoc {
  return {
    id,
    tenantId,
    type: 'conversation',
    channelId: 'ch_messenger_1',
    contactId,
    platform: 'messenger',
    state: 'bot',
    transitions: [],
    answeredThrough: 0,
    unread: 0,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
}

function world() {
  const audits: string[] = [];
  const conversations = memoryConversationRepository();
  const clock = { now: () => NOW };
  const deps: ContactDeps = {
    contacts: memoryContactRepository(),
    conversations,
    clock,
    transition: (tenantId, conversationId, event) =>
      recordTransition({ conversations, clock, transitioned: async () => {} }, tenantId, conversationId, event),
    audit: async (entry) => {
      audits.push(entry.action);
    },
  };
  return { deps, audits };
}

describe('contact use-cases', () => {
  it('rectifies the fields given and audits their names', async () => {
    const { deps, audits } = world();
    await deps.contacts.createOnce(A, contact(A, 'ct_one'));
    const saved = await rectifyContact(deps, {
      tenantId: A,
      contactId: 'ct_one',
      changes: { locale: 'ro_RO' },
      actor: owner,
    });
    expect(saved).toMatchObject({ name: 'Ana', locale: 'ro_RO', updatedAt: NOW.toISOString() });
    expect(audits).toEqual(['contact.rectify']);
  });

  it('restricts a contact and all their conversations, and lifts it again, idempotently', async () => {
    const { deps, audits } = world();
    await deps.contacts.createOnce(A, contact(A, 'ct_one'));
    await deps.conversations.createOnce(A, conversation(A, 'cv_one', 'ct_one'));
    await deps.conversations.createOnce(A, conversation(A, 'cv_two', 'ct_one'));
    await deps.conversations.createOnce(A, conversation(A, 'cv_other', 'ct_other'));
    const request = { tenantId: A, contactId: 'ct_one', actor: owner };
    expect((await restrictContact(deps, request)).restrictedAt).toBe(NOW.toISOString());
    expect((await restrictContact(deps, request)).restrictedAt).toBe(NOW.toISOString());
    const states = async () =>
      Object.fromEntries(
        await Promise.all(
          ['cv_one', 'cv_two', 'cv_other'].map(async (id) => [id, (await deps.conversations.get(A, id))?.state]),
        ),
      );
    expect(await states()).toEqual({ cv_one: 'restricted', cv_two: 'restricted', cv_other: 'bot' });
    expect((await liftContactRestriction(deps, request)).restrictedAt).toBeUndefined();
    expect(await states()).toEqual({ cv_one: 'bot', cv_two: 'bot', cv_other: 'bot' });
    expect(audits).toEqual(['contact.restrict', 'contact.restrict', 'contact.lift_restriction']);
  });

  it("cannot read, change, restrict or delete another tenant's contact", async () => {
    const { deps, audits } = world();
    await deps.contacts.createOnce(A, contact(A, 'ct_one'));
    await deps.conversations.createOnce(A, conversation(A, 'cv_one', 'ct_one'));
    const asB = { tenantId: B, contactId: 'ct_one', actor: owner };
    const refused = await rectifyContact(deps, { ...asB, changes: { name: 'Changed' } }).catch((e) => e);
    expect(refused).toBeInstanceOf(NotFoundError);
    expect(problemOf(refused)).toMatchObject({ status: 404, detail: 'No such contact.' });
    await expect(restrictContact(deps, asB)).rejects.toBeInstanceOf(NotFoundError);
    await expect(liftContactRestriction(deps, asB)).rejects.toBeInstanceOf(NotFoundError);
    expect(await deps.contacts.get(B, 'ct_one')).toBeUndefined();
    expect(await deps.contacts.update(B, 'ct_one', (c) => ({ ...c, name: 'x' }))).toBeUndefined();
    expect(await deps.contacts.forgetSubject(B, 'ct_one')).toBe(0);
    expect(await deps.contacts.forgetTenant(B)).toBe(0);
    expect(await deps.contacts.get(A, 'ct_one')).toMatchObject({ name: 'Ana' });
    expect((await deps.conversations.get(A, 'cv_one'))?.state).toBe('bot');
    expect(audits).toEqual([]);
  });

  it('finds an End-User across tenants only through the one platform-wide lookup, and forgets one contact', async () => {
    const { deps } = world();
    await deps.contacts.createOnce(A, contact(A, 'ct_one'));
    await deps.contacts.createOnce(B, contact(B, 'ct_two'));
    expect((await deps.contacts.withPlatformUserId('psid_1')).map((c) => c.tenantId).sort()).toEqual([A, B]);
    expect((await deps.contacts.withPlatformUserId('psid_1', B)).map((c) => c.id)).toEqual(['ct_two']);
    expect(await deps.contacts.forgetSubject(A, 'ct_one')).toBe(1);
    expect(await deps.contacts.cards(B, ['ct_two', 'ct_one'])).toEqual([{ id: 'ct_two', name: 'Ana' }]);
    expect(await deps.contacts.createOnce(B, contact(B, 'ct_two'))).toBe(false);
  });
});
