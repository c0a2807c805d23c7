import type { ConversationDoc, MessageDoc } from '../conversations/index.js';

/** One part of an outgoing reply, pending until the send job sends it. */
export function outboundPart(
  conversation: ConversationDoc,
  part: {
    id: string;
    text: string;
    index: number;
    of: number;
    outboundId: string;
    author: 'bot' | 'human';
    senderId: string;
    recipientId: string;
    at: Date;
    lineage?: Record<string, unknown>;
  },
): MessageDoc {
  const at = part.at.toISOString();
  return {
    id: part.id,
    tenantId: conversation.tenantId,
    type: 'message',
    conversationId: conversation.id,
    contactId: conversation.contactId,
    channelId: conversation.channelId,
    platform: conversation.platform,
    direction: 'out',
    text: part.text,
    // Parts of one reply keep their order by a millisecond apart.
    timestamp: part.at.getTime() + part.index,
    status: 'pending',
    author: part.author,
    senderId: part.senderId,
    recipientId: part.recipientId,
    outbound: { outboundId: part.outboundId, part: part.index, of: part.of, attempts: 0 },
    ...(part.lineage ? { lineage: part.lineage } : {}),
    createdAt: at,
    updatedAt: at,
  };
}
