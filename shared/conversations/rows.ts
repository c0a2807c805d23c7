import type { ContactDoc } from '../contacts/index.js';
import type { Runtime } from '../platform/runtime.js';
import type { ConversationDoc, MessageDoc } from './documents.js';
import { previewOf } from './preview.js';

/** What an inbox row shows besides the conversation itself. */
export interface RowExtras {
  contact?: Pick<ContactDoc, 'id' | 'name' | 'profilePicUrl'>;
  last?: Pick<MessageDoc, 'id' | 'direction' | 'author' | 'timestamp'> & { preview: string };
}

/**
 * The contact and last message of each conversation on a page: one query for the contacts and one
 * small query per row for its newest message, all in the tenant's partition. Read at request time, so
 * an unsent or erased message never lingers in a stored preview.
 */
export async function rowExtras(
  rt: Runtime,
  tenantId: string,
  conversations: ConversationDoc[],
): Promise<Map<string, RowExtras>> {
  const out = new Map<string, RowExtras>();
  if (conversations.length === 0) return out;
  const contactIds = [...new Set(conversations.map((c) => c.contactId))];
  const { resources: contacts } = await rt.cosmos
    .container('contacts')
    .items.query<ContactDoc>(
      {
        query:
          "SELECT c.id, c.name, c.profilePicUrl FROM c WHERE c.tenantId = @t AND c.type = 'contact' AND ARRAY_CONTAINS(@ids, c.id)",
        parameters: [
          { name: '@t', value: tenantId },
          { name: '@ids', value: contactIds },
        ],
      },
      { partitionKey: tenantId },
    )
    .fetchAll();
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const lasts = await Promise.all(
    conversations.map(async (c) => {
      const { resources } = await rt.cosmos
        .container('messages')
        .items.query<MessageDoc>(
          {
            query:
              "SELECT TOP 1 c.id, c.direction, c.author, c.timestamp, c.text, c.attachments FROM c WHERE c.tenantId = @t AND c.type = 'message' AND c.conversationId = @cid ORDER BY c.timestamp DESC",
            parameters: [
              { name: '@t', value: tenantId },
              { name: '@cid', value: c.id },
            ],
          },
          { partitionKey: tenantId },
        )
        .fetchAll();
      return resources[0];
    }),
  );
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
