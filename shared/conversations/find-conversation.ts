import { NotFoundError } from '../platform/domain-errors.js';
import type { ConversationRepository } from './conversation-repository.js';
import type { ConversationDoc } from './documents.js';

/** A conversation of this tenant, or NotFoundError (another tenant's is not found either). */
export async function findConversation(
  conversations: ConversationRepository,
  tenantId: string,
  conversationId: string,
): Promise<ConversationDoc> {
  const conversation = await conversations.get(tenantId, conversationId);
  if (!conversation) throw new NotFoundError('conversation');
  return conversation;
}
