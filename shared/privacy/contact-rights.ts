import { contactRepository } from '../contacts/index.js';
import { conversationRepository } from '../conversations/index.js';
import { cosmosIdempotencyRepository } from '../platform/idempotency-repository.js';
import type { Runtime } from '../platform/runtime.js';
import { eraseDeadLettersAbout } from './dead-letter-erasure.js';
import { eraseExportsHolding } from './exports.js';
import { deleteConversation } from './forget-conversation.js';
import { type DeletionPath, writeTombstone } from './tombstones.js';

/**
 * Deletes a contact with everything about them: conversations, messages, attachments (Art. 17).
 * The tombstone goes first, so a crash half-way still keeps a restore from bringing them back.
 */
export async function deleteContact(
  rt: Runtime,
  tenantId: string,
  contactId: string,
  path: DeletionPath = 'customer',
): Promise<{ conversations: number; messages: number; exports: number; deadLetters: number }> {
  await writeTombstone(rt, 'contact', contactId, path);
  let messages = 0;
  const contacts = contactRepository(rt);
  const contact = await contacts.get(tenantId, contactId);
  const conversations = await conversationRepository(rt).ofContact(tenantId, contactId);
  for (const c of conversations)
    messages += await deleteConversation(rt, tenantId, c.id, path, { deadLetters: false, exports: false });
  await contacts.forgetSubject(tenantId, contactId);
  const exports =
    (await eraseExportsHolding(rt, { tenantId })) +
    (contact?.platformUserId ? await eraseExportsHolding(rt, { endUserId: contact.platformUserId }) : 0);
  // Dead letters naming the person, the contact or one of their conversations go too (one sweep).
  const deadLetters = await eraseDeadLettersAbout(rt, [
    contactId,
    ...conversations.map((c) => c.id),
    ...(contact?.platformUserId ? [contact.platformUserId] : []),
  ]);
  // A replayable first answer (sealed, one day) may quote a reply to them.
  await cosmosIdempotencyRepository(rt.cosmos).forgetTenant(tenantId);
  return { conversations: conversations.length, messages, exports, deadLetters };
}
