import { readDoc } from '../platform/document-store.js';
import type { Runtime } from '../platform/runtime.js';
import type { ContactDoc } from './contact-document.js';

export function getContact(r: Runtime, tenantId: string, id: string): Promise<ContactDoc | undefined> {
  return readDoc<ContactDoc>(r.cosmos.container('contacts'), id, tenantId);
}
