import type { ContactDoc } from '../contacts/contact-document.js';
import type { ConversationDoc, MessageDoc } from '../conversations/documents.js';
import { queryMessages } from '../conversations/reads.js';
import { deleteIdempotencyRecords } from '../platform/idempotency.js';
import type { Runtime } from '../platform/runtime.js';
import { eraseDeadLettersAbout } from './dead-letter-erasure.js';
import { eraseExportsHolding } from './exports.js';
import { deleteConversation, ignoreMissing } from './forget-conversation.js';
import { type DeletionPath, writeTombstone } from './tombstones.js';

/** A contact's conversations (one tenant). */
export async function conversationsOf(r: Runtime, tenantId: string, contactId: string): Promise<ConversationDoc[]> {
  const { resources } = await r.cosmos
    .container('conversations')
    .items.query<ConversationDoc>(
      {
        query: "SELECT * FROM c WHERE c.tenantId = @t AND c.type = 'conversation' AND c.contactId = @id",
        parameters: [
          { name: '@t', value: tenantId },
          { name: '@id', value: contactId },
        ],
      },
      { partitionKey: tenantId },
    )
    .fetchAll();
  return resources;
}

/** Everything we hold about one contact, as machine-readable JSON (Art. 15/20). */
export async function exportContact(
  r: Runtime,
  contact: ContactDoc,
): Promise<{
  contact: Record<string, unknown>;
  conversations: Array<Record<string, unknown> & { messages: Array<Record<string, unknown>> }>;
}> {
  const strip = <T extends object>(doc: T) =>
    Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('_')));
  const conversations = await conversationsOf(r, contact.tenantId, contact.id);
  const out = [];
  for (const c of conversations) {
    const messages: MessageDoc[] = await queryMessages(r, contact.tenantId, c.id);
    out.push({ ...strip(c), messages: messages.map(strip) });
  }
  return { contact: strip(contact), conversations: out };
}

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
