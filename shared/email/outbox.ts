import { QUEUES, type QueueInput, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';

/** One email to send, as it travels on the emails queue. */
export type EmailJob = QueueInput<typeof QUEUES.emails>;

/**
 * Queues an email; a repeat of the same key inside the detection window is dropped by the broker, and later by the
 * sender.
 */
export async function enqueueEmail(rt: Runtime, job: EmailJob): Promise<void> {
  await sendToQueue(rt.bus, QUEUES.emails, job);
}
