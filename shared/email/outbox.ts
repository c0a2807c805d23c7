import { z } from 'zod';
import { QUEUES } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { TEMPLATE_NAMES, type TemplateName } from './templates.js';

/** One email to send, as it travels on the emails queue. */
export const emailJobSchema = z.object({
  /** Idempotency key: the same key is sent at most once. */
  key: z.string().min(1).max(200),
  template: z.enum(TEMPLATE_NAMES as [TemplateName, ...TemplateName[]]),
  language: z.enum(['en', 'ro']),
  to: z.email(),
  data: z.record(z.string(), z.union([z.string(), z.number()])),
  tenantId: z.string().optional(),
  attempt: z.number().int().min(0).default(0),
});
export type EmailJob = z.input<typeof emailJobSchema>;

/** Queues an email; a repeat of the same key inside the detection window is dropped by the broker, and later by the sender. */
export async function enqueueEmail(rt: Runtime, job: EmailJob): Promise<void> {
  await rt.bus.send(QUEUES.emails.name, {
    body: { attempt: 0, ...job },
    messageId: `email:${job.key}`,
    subject: job.template,
  });
}
