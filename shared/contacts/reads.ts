import type { Runtime } from '../platform/runtime.js';
import type { ContactDoc } from './contact-document.js';
import { contactRepository } from './contact-repository.js';

export function getContact(rt: Runtime, tenantId: string, id: string): Promise<ContactDoc | undefined> {
  return contactRepository(rt).get(tenantId, id);
}
