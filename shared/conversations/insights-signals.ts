import { createHash } from 'node:crypto';
import type { InsightsJob } from '../insights/index.js';
import { log } from '../platform/log.js';
import { QUEUES } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import type { ConversationDoc, MessageDoc } from './documents.js';

const hash = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 24);

async function enqueue(rt: Runtime, job: InsightsJob, id: string): Promise<void> {
  try {
    await rt.bus.send(QUEUES.insightsEvents.name, {
      body: job,
      messageId: `insights:${hash(id)}`,
      sessionId: job.conversationId,
    });
  } catch (error) {
    log.warn('insights.enqueue_failed', { tenantId: job.tenantId, kind: job.kind, error });
  }
}

/** A customer message was stored. */
export function insightsOnMessage(rt: Runtime, message: MessageDoc): Promise<void> {
  return enqueue(
    rt,
    { kind: 'messages', tenantId: message.tenantId, conversationId: message.conversationId, messageIds: [message.id] },
    `m:${message.id}`,
  );
}

/** A transition was recorded on a conversation (the newest one is the one that just happened). */
export async function insightsOnTransition(rt: Runtime, conversation: ConversationDoc | undefined): Promise<void> {
  const record = conversation?.transitions.at(-1);
  if (!conversation || !record) return;
  await enqueue(
    rt,
    {
      kind: 'transition',
      tenantId: conversation.tenantId,
      conversationId: conversation.id,
      contactId: conversation.contactId,
      platform: conversation.platform,
      transition: record,
    },
    `t:${conversation.id}:${record.event}:${record.at}`,
  );
}

/** A send job ran: the parts it sent are outgoing messages (each attempt reports what it got out). */
export function insightsAfterSend(
  rt: Runtime,
  job: { tenantId: string; conversationId: string; messageIds: string[]; attempt: number },
): Promise<void> {
  return enqueue(
    rt,
    { kind: 'messages', tenantId: job.tenantId, conversationId: job.conversationId, messageIds: job.messageIds },
    `s:${job.messageIds.join(',')}:${job.attempt}`,
  );
}
