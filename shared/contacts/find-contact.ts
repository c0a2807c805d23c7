import { NotFoundError } from '../platform/domain-errors.js';
import type { ContactDoc } from './contact-document.js';
import type { ContactRepository } from './contact-repository.js';

/** A contact of this tenant, or NotFoundError (another tenant's is not found either). */
export async function findContact(
  contacts: ContactRepository,
  tenantId: string,
  contactId: string,
): Promise<ContactDoc> {
  const contact = await contacts.get(tenantId, contactId);
  if (!contact) throw new NotFoundError('contact');
  return contact;
}
