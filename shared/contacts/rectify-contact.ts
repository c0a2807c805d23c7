import type { ContactDeps } from './contact-deps.js';
import type { ContactDoc } from './contact-document.js';
import { findContact } from './find-contact.js';

/** Corrects a contact's name or language (GDPR Art. 16); the audit entry names the fields, never the values. */
export async function rectifyContact(
  deps: ContactDeps,
  request: {
    tenantId: string;
    contactId: string;
    changes: { name?: string; locale?: string };
    actor: { sub: string; role: string };
    ip?: string;
  },
): Promise<ContactDoc> {
  const { tenantId, contactId, changes } = request;
  await findContact(deps.contacts, tenantId, contactId);
  const saved = await deps.contacts.update(tenantId, contactId, (c) => ({
    ...c,
    ...changes,
    updatedAt: deps.clock.now().toISOString(),
  }));
  await deps.audit({
    tenantId,
    action: 'contact.rectify',
    actor: request.actor,
    ip: request.ip,
    target: { type: 'contact', id: contactId },
    details: { fields: Object.keys(changes) },
  });
  return saved as ContactDoc;
}
