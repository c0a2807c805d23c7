import { readDoc } from '../platform/document-store.js';
import type { Runtime } from '../platform/runtime.js';
import type { ContactDoc } from './contact-document.js';

export function getContact(rt: Runtime, tenantId: string, id: string): Promise<ContactDoc | undefined> {
  return readDoc<ContactDoc>(rt.cosmos.container('contacts'), id, tenantId);
}
