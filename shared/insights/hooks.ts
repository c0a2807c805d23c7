import type { ConversationDoc, MessageDoc } from '../messaging/documents.js';
import { getMessage } from '../messaging/store.js';
import { log } from '../platform/log.js';
import { QUEUES, type QueueMessage, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { recordEvents } from './counters.js';
import { eventsOfMessage, eventsOfTransition } from './events.js';
import { recordGapFromHandoff } from './gaps-store.js';
import { isKnowledgeGap } from './metrics.js';

/**
 * The one-line hooks the messaging handlers call. Each only queues a small message on
 * `insights-events` (one session per conversation), so the figures never slow down or fail a
 * customer's message; the queue handler below does the counting, idempotently, and the broker
 * retries it. A lost hook (the process dying between a write and its hook) is what
 * `npm run insights:rebuild` repairs.
 */

export type InsightsJob = QueueMessage<typeof QUEUES.insightsEvents>;

async function enqueue(r: Runtime, job: InsightsJob): Promise<void> {
  try {
    await sendToQueue(r.bus, QUEUES.insightsEvents, job);
  } catch (error) {
    log.warn('insights.enqueue_failed', { tenantId: job.tenantId, kind: job.kind, error });
  }
}

/** A customer message was stored. */
export function insightsOnMessage(r: Runtime, message: MessageDoc): Promise<void> {
  return enqueue(r, {
    kind: 'messages',
    tenantId: message.tenantId,
    conversationId: message.conversationId,
    messageIds: [message.id],
  });
}

/** A transition was recorded on a conversation (the newest one is the one that just happened). */
export async function insightsOnTransition(r: Runtime, conversation: ConversationDoc | undefined): Promise<void> {
  const record = conversation?.transitions.at(-1);
  if (!conversation || !record) return;
  await enqueue(r, {
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
  r: Runtime,
  job: { tenantId: string; conversationId: string; messageIds: string[]; attempt: number },
): Promise<void> {
  return enqueue(r, {
    kind: 'messages',
    tenantId: job.tenantId,
    conversationId: job.conversationId,
    messageIds: job.messageIds,
    attempt: job.attempt,
  });
}

/** The queue handler: applies the job's events to the counters (and gaps), once each. */
export async function runInsightsJob(r: Runtime, job: InsightsJob): Promise<void> {
  if (job.kind === 'messages') {
    for (const id of job.messageIds) {
      const message = await getMessage(r, job.tenantId, id);
      // Deleted since (unsent, erased): nothing to count.
      if (message)
        await recordEvents(
          r,
          { tenantId: message.tenantId, conversationId: message.conversationId, platform: message.platform },
          eventsOfMessage(message),
        );
    }
    return;
  }
  const { transition } = job;
  await recordEvents(
    r,
    { tenantId: job.tenantId, conversationId: job.conversationId, platform: job.platform },
    eventsOfTransition(transition),
  );
  if (transition.event === 'handoff' && isKnowledgeGap(transition.reason ?? '')) {
    await recordGapFromHandoff(
      r,
      { tenantId: job.tenantId, id: job.conversationId, contactId: job.contactId },
      transition,
    );
  }
}
