import { log } from '../platform/log.js';
import { QUEUES, type QueueMessage, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import type { ConversationDoc, MessageDoc } from './documents.js';

/**
 * The one-line hooks the messaging handlers call. Each only queues a small message on
 * `insights-events` (one session per conversation), so the figures never slow down or fail a
 * customer's message; the queue handler below does the counting, idempotently, and the broker
 * retries it. A lost hook (the process dying between a write and its hook) is what
 * `npm run insights:rebuild` repairs.
 */

type InsightsJob = QueueMessage<typeof QUEUES.insightsEvents>;

async function enqueue(rt: Runtime, job: InsightsJob): Promise<void> {
  try {
    await sendToQueue(rt.bus, QUEUES.insightsEvents, job);
  } catch (error) {
    log.warn('insights.enqueue_failed', { tenantId: job.tenantId, kind: job.kind, error });
  }
}

/** A customer message was stored. */
export function insightsOnMessage(rt: Runtime, message: MessageDoc): Promise<void> {
  return enqueue(rt, {
    kind: 'messages',
    tenantId: message.tenantId,
    conversationId: message.conversationId,
    messageIds: [message.id],
  });
}

/** A transition was recorded on a conversation (the newest one is the one that just happened). */
export async function insightsOnTransition(rt: Runtime, conversation: ConversationDoc | undefined): Promise<void> {
  const record = conversation?.transitions.at(-1);
  if (!conversation || !record) return;
  await enqueue(rt, {
    kind: 'transition',
    tenantId: conversation.tenantId,
    conversationId: conversation.id,
    contactId: conversation.contactId,
    platform: conversation.platform,
    transition: record,
  });
}

/** A send job ran: the parts it sent are outgoing messages (each attempt reports what it got out). */
export function insightsAfterSend(
  rt: Runtime,
  job: { tenantId: string; conversationId: string; messageIds: string[]; attempt: number },
): Promise<void> {
  return enqueue(rt, {
    kind: 'messages',
    tenantId: job.tenantId,
    conversationId: job.conversationId,
    messageIds: job.messageIds,
    attempt: job.attempt,
  });
}
