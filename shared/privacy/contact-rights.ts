import type { ContactDoc } from '../contacts/index.js';
import { conversationsOf } from '../conversations/index.js';
import { deleteIdempotencyRecords } from '../platform/idempotency.js';
import type { Runtime } from '../platform/runtime.js';
import { eraseDeadLettersAbout } from './dead-letter-erasure.js';
import { eraseExportsHolding } from './exports.js';
import { deleteConversation, ignoreMissing } from './forget-conversation.js';
import { type DeletionPath, writeTombstone } from './tombstones.js';

/**
 * Deletes a contact with everything about them: conversations, messages, attachments (Art. 17).
 * The tombstone goes first, so a crash half-way still keeps a restore from bringing them back.
 */
export async function deleteContact(
  r: Runtime,
  tenantId: string,
  contactId: string,
  path: DeletionPath = 'customer',
): Promise<{ conversations: number; messages: number; exports: number; deadLetters: number }> {
  await writeTombstone(r, 'contact', contactId, path);
  let messages = 0;
  const contact = await r.cosmos
    .container('contacts')
    .item(contactId, tenantId)
    .read<ContactDoc>()
    .then((x) => x.resource);
  const conversations = await conversationsOf(r, tenantId, contactId);
  for (const c of conversations)
    messages += await deleteConversation(r, tenantId, c.id, path, { deadLetters: false, exports: false });
  await r.cosmos.container('contacts').item(contactId, tenantId).delete().catch(ignoreMissing);
  const exports =
    (await eraseExportsHolding(r, { tenantId })) +
    (contact?.platformUserId ? await eraseExportsHolding(r, { endUserId: contact.platformUserId }) : 0);
  // Dead letters naming the person, the contact or one of their conversations go too (one sweep).
  const deadLetters = await eraseDeadLettersAbout(r, [
    contactId,
    ...conversations.map((c) => c.id),
    ...(contact?.platformUserId ? [contact.platformUserId] : []),
  ]);
  // A replayable first answer (sealed, one day) may quote a reply to them.
  await deleteIdempotencyRecords(r.cosmos.container('dedup'), tenantId);
  return { conversations: conversations.length, messages, exports, deadLetters };
}
