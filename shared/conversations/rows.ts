import type { ContactCard, ContactRepository } from '../contacts/index.js';
import type { ConversationDoc, MessageDoc } from './documents.js';
import type { MessageRepository } from './message-repository.js';
import { previewOf } from './preview.js';

/** What an inbox row shows besides the conversation itself. */
export interface RowExtras {
  contact?: ContactCard;
  last?: Pick<MessageDoc, 'id' | 'direction' | 'author' | 'timestamp'> & { preview: string };
}

/**
 * The contact and last message of each conversation on a page: one query for the contacts and one
 * small query per row for its newest message, all in the tenant's partition. Read at request time, so
 * an unsent or erased message never lingers in a stored preview.
 */
export async function rowExtras(
  stores: { contacts: ContactRepository; messages: MessageRepository },
  tenantId: string,
  conversations: ConversationDoc[],
): Promise<Map<string, RowExtras>> {
  const out = new Map<string, RowExtras>();
  if (conversations.length === 0) return out;
  const contactIds = [...new Set(conversations.map((c) => c.contactId))];
  const contacts = await stores.contacts.cards(tenantId, contactIds);
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const lasts = await Promise.all(conversations.map((c) => stores.messages.latest(tenantId, c.id)));
  conversations.forEach((c, i) => {
    const last = lasts[i];
    out.set(c.id, {
      contact: byId.get(c.contactId),
      ...(last
        ? {
            last: {
              id: last.id,
              direction: last.direction,
              author: last.author,
              timestamp: last.timestamp,
              preview: previewOf(last),
            },
          }
        : {}),
    });
  });
  return out;
}
