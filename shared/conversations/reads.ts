import { parseAllStored } from '../platform/repository.js';
import type { Runtime } from '../platform/runtime.js';
import { conversationRepository } from './conversation-repository.js';
import { type ConversationDoc, type MessageDoc, messageDocSchema } from './documents.js';
import { messageRepository } from './message-repository.js';

export function getConversation(rt: Runtime, tenantId: string, id: string): Promise<ConversationDoc | undefined> {
  return conversationRepository(rt).get(tenantId, id);
}

export function getMessage(rt: Runtime, tenantId: string, id: string): Promise<MessageDoc | undefined> {
  return messageRepository(rt).get(tenantId, id);
}

/**
 * Messages of a conversation matching extra SQL conditions, oldest first, in one tenant partition.
 * Kept for the slices that still pass SQL; new code uses MessageRepository.inConversation.
 */
export async function queryMessages(
  rt: Runtime,
  tenantId: string,
  conversationId: string,
  where = '',
  parameters: Array<{ name: string; value: string | number | boolean }> = [],
): Promise<MessageDoc[]> {
  const { resources } = await rt.cosmos
    .container('messages')
    .items.query(
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
  return parseAllStored(messageDocSchema, 'messages', resources);
}

/** A contact's conversations (one tenant). */
export function conversationsOf(rt: Runtime, tenantId: string, contactId: string): Promise<ConversationDoc[]> {
  return conversationRepository(rt).ofContact(tenantId, contactId);
}
