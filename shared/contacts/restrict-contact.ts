import type { ContactDeps } from './contact-deps.js';
import type { ContactDoc } from './contact-document.js';
import { findContact } from './find-contact.js';

interface RestrictionRequest {
  tenantId: string;
  contactId: string;
  actor: { sub: string; role: string };
  ip?: string;
}

/**
 * Restricts processing for a contact (GDPR Art. 18): marks the contact and moves each of their
 * conversations to `restricted`, so the bot stops and nothing new is stored. Idempotent.
 */
export async function restrictContact(deps: ContactDeps, request: RestrictionRequest): Promise<ContactDoc> {
  const { tenantId, contactId } = request;
  await findContact(deps.contacts, tenantId, contactId);
  const saved = await deps.contacts.update(tenantId, contactId, (c) =>
    c.restrictedAt
      ? undefined
      : { ...c, restrictedAt: deps.clock.now().toISOString(), updatedAt: deps.clock.now().toISOString() },
  );
  for (const c of await deps.conversations.ofContact(tenantId, contactId))
    await deps.transition(tenantId, c.id, { type: 'restrict', by: request.actor.sub });
  await deps.audit({
    tenantId,
    action: 'contact.restrict',
    actor: request.actor,
    ip: request.ip,
    target: { type: 'contact', id: contactId },
  });
  return saved as ContactDoc;
}

/** Lifts a restriction: the contact is unmarked and their restricted conversations go back to the bot. */
export async function liftContactRestriction(deps: ContactDeps, request: RestrictionRequest): Promise<ContactDoc> {
  const { tenantId, contactId } = request;
  await findContact(deps.contacts, tenantId, contactId);
  const saved = await deps.contacts.update(tenantId, contactId, (c) => {
    if (!c.restrictedAt) return undefined;
    const { restrictedAt: _r, ...rest } = c;
    return { ...rest, updatedAt: deps.clock.now().toISOString() } as ContactDoc;
  });
  for (const c of await deps.conversations.ofContact(tenantId, contactId)) {
    if (c.state === 'restricted')
      await deps.transition(tenantId, c.id, { type: 'lift_restriction', by: request.actor.sub });
  }
  await deps.audit({
    tenantId,
    action: 'contact.lift_restriction',
    actor: request.actor,
    ip: request.ip,
    target: { type: 'contact', id: contactId },
  });
  return saved as ContactDoc;
}
