import { messageRepository } from '../conversations/index.js';
import type { QUEUES, QueueMessage } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { recordEvents } from './counters.js';
import { eventsOfMessage, eventsOfTransition } from './events.js';
import { recordGapFromHandoff } from './gaps-store.js';
import { isKnowledgeGap } from './metrics.js';

export type InsightsJob = QueueMessage<typeof QUEUES.insightsEvents>;

/** The queue handler: applies the job's events to the counters (and gaps), once each. */
export async function runInsightsJob(rt: Runtime, job: InsightsJob): Promise<void> {
  if (job.kind === 'messages') {
    for (const id of job.messageIds) {
      const message = await messageRepository(rt).get(job.tenantId, id);
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
