import type { ContactDoc } from '../contacts/index.js';
import { conversationRepository, messageRepository } from '../conversations/index.js';
import type { Runtime } from '../platform/runtime.js';

/** Everything we hold about one contact, as machine-readable JSON (Art. 15/20). */
export async function exportContact(
  rt: Runtime,
  contact: ContactDoc,
): Promise<{
  contact: Record<string, unknown>;
  conversations: Array<Record<string, unknown> & { messages: Array<Record<string, unknown>> }>;
}> {
  const strip = <T extends object>(doc: T) =>
    Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('_')));
  const conversations = await conversationRepository(rt).ofContact(contact.tenantId, contact.id);
  const out = [];
  for (const c of conversations) {
    const messages = await messageRepository(rt).inConversation(contact.tenantId, c.id);
    out.push({ ...strip(c), messages: messages.map(strip) });
  }
  return { contact: strip(contact), conversations: out };
}
