import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type ConversationDoc, getMessage, type MessageDoc } from '../conversations/index.js';
import { log } from '../platform/log.js';
import { QUEUES } from '../platform/queues.js';
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

const platform = z.enum(['messenger', 'instagram']);

export const insightsJobSchema = z.discriminatedUnion('kind', [
  /** Messages stored or sent: their stored state says what they count for. */
  z.object({
    kind: z.literal('messages'),
    tenantId: z.string().min(1),
    conversationId: z.string().min(1),
    messageIds: z.array(z.string().min(1)).min(1),
  }),
  /** A transition recorded on a conversation. */
  z.object({
    kind: z.literal('transition'),
    tenantId: z.string().min(1),
    conversationId: z.string().min(1),
    contactId: z.string().min(1),
    platform,
    transition: z.object({
      from: z.enum(['bot', 'human', 'paused', 'restricted']),
      to: z.enum(['bot', 'human', 'paused', 'restricted']),
      event: z.enum(['handoff', 'takeover', 'hand_back', 'external_reply', 'restrict', 'lift_restriction', 'resolve']),
      at: z.string(),
      by: z.string(),
      reason: z.string().optional(),
    }),
  }),
]);
export type InsightsJob = z.infer<typeof insightsJobSchema>;

/** The queue handler: applies the job's events to the counters (and gaps), once each. */
export async function runInsightsJob(rt: Runtime, job: InsightsJob): Promise<void> {
  if (job.kind === 'messages') {
    for (const id of job.messageIds) {
      const message = await getMessage(rt, job.tenantId, id);
      // Deleted since (unsent, erased): nothing to count.
      if (message)
        await recordEvents(
          rt,
          { tenantId: message.tenantId, conversationId: message.conversationId, platform: message.platform },
          eventsOfMessage(message),
        );
    }
    return;
  }
  const { transition } = job;
  await recordEvents(
    rt,
    { tenantId: job.tenantId, conversationId: job.conversationId, platform: job.platform },
    eventsOfTransition(transition),
  );
  if (transition.event === 'handoff' && isKnowledgeGap(transition.reason ?? '')) {
    await recordGapFromHandoff(
      rt,
      { tenantId: job.tenantId, id: job.conversationId, contactId: job.contactId },
      transition,
    );
  }
}
