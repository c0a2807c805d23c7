import { readDoc } from '../platform/document-store.js';
import type { Runtime } from '../platform/runtime.js';
import type { ConversationDoc, MessageDoc } from './documents.js';

export function getConversation(rt: Runtime, tenantId: string, id: string): Promise<ConversationDoc | undefined> {
  return readDoc<ConversationDoc>(rt.cosmos.container('conversations'), id, tenantId);
}

export function getMessage(rt: Runtime, tenantId: string, id: string): Promise<MessageDoc | undefined> {
  return readDoc<MessageDoc>(rt.cosmos.container('messages'), id, tenantId);
}

/** Messages of a conversation matching extra conditions, oldest first. Always scoped to one tenant partition. */
export async function queryMessages(
  rt: Runtime,
  tenantId: string,
  conversationId: string,
  where = '',
  parameters: Array<{ name: string; value: string | number | boolean }> = [],
): Promise<MessageDoc[]> {
  const { resources } = await rt.cosmos
    .container('messages')
    .items.query<MessageDoc>(
      {
        query: `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.conversationId = @conversationId ${where} ORDER BY c.timestamp ASC`,
        parameters: [
          { name: '@tenantId', value: tenantId },
          { name: '@conversationId', value: conversationId },
          ...parameters,
        ],
      },
      { partitionKey: tenantId },
    )
    .fetchAll();
  return resources;
}

/** A contact's conversations (one tenant). */
export async function conversationsOf(rt: Runtime, tenantId: string, contactId: string): Promise<ConversationDoc[]> {
  const { resources } = await rt.cosmos
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
