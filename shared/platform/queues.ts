import type { z } from 'zod';
import type { BusPublisher } from './bus.js';
import {
  describeIssues,
  emailJobMessageId,
  emailJobSchema,
  insightsJobMessageId,
  insightsJobSchema,
  knowledgeIndexJobSchema,
  metaEventMessageId,
  metaEventSchema,
  metaEventSessionId,
  privacyJobMessageId,
  privacyJobSchema,
  privacyJobSessionId,
  replyJobSchema,
  sendJobMessageId,
  sendJobSchema,
  stripeEventSchema,
  stripeEventSessionId,
} from './queue-messages.js';

/**
 * Every Service Bus queue: its name and the entity properties the code relies on. Triggers take
 * their `queueName` and `isSessionsEnabled` from here, publishers their names, the local host its
 * broker settings and the Bicep drift test its expectations.
 */
export interface QueueDefinition {
  name: string;
  /** One session per conversation (or per tenant) keeps its messages in order, one at a time. */
  requiresSession: boolean;
  /** Deliveries before the broker dead-letters a message. */
  maxDeliveryCount: number;
  /** Window in which a repeated MessageId is dropped by the broker. */
  duplicateDetectionWindowMinutes: number;
}

/**
 * A queue and its message contract: the body's schema, and the keys every message travels with,
 * derived from the body so that no sender can pick them differently.
 */
export interface QueueContract<S extends z.ZodType = z.ZodType> extends QueueDefinition {
  schema: S;
  /** The session (undefined on a queue without sessions). */
  sessionId(message: z.output<S>): string | undefined;
  /** The MessageId the broker drops repeats of: the same work always gets the same one. */
  messageId(message: z.output<S>): string;
  /** A label shown in Service Bus tools; never read by the app. */
  subject?(message: z.output<S>): string;
}

/** The body a sender gives (defaults still unapplied). */
export type QueueInput<Q extends QueueContract> = z.input<Q['schema']>;
/** The body a handler receives. */
export type QueueMessage<Q extends QueueContract> = z.output<Q['schema']>;

function queue<S extends z.ZodType>(contract: QueueContract<S>): QueueContract<S> {
  return contract;
}

export const QUEUES = {
  /** Meta webhook events, one session per conversation. */
  metaEvents: queue({
    name: 'meta-events',
    requiresSession: true,
    maxDeliveryCount: 10,
    duplicateDetectionWindowMinutes: 60,
    schema: metaEventSchema,
    sessionId: metaEventSessionId,
    messageId: metaEventMessageId,
    subject: (e) => e.kind,
  }),
  /** Reply jobs, scheduled after the burst wait, one session per conversation. */
  replies: queue({
    name: 'replies',
    requiresSession: true,
    maxDeliveryCount: 10,
    duplicateDetectionWindowMinutes: 60,
    schema: replyJobSchema,
    sessionId: (job) => job.conversationId,
    // A late job is the message's second chance after its first stood aside for a newer one: its own id.
    messageId: (job) => `reply:${job.triggerMessageId}${job.late ? ':late' : ''}`,
  }),
  /** Send API calls, one session per conversation so parts go out in order. */
  outbound: queue({
    name: 'outbound',
    requiresSession: true,
    maxDeliveryCount: 10,
    duplicateDetectionWindowMinutes: 60,
    schema: sendJobSchema,
    sessionId: (job) => job.conversationId,
    messageId: sendJobMessageId,
  }),
  /** Knowledge base re-indexing, one session per tenant so builds never overlap. */
  knowledgeIndex: queue({
    name: 'knowledge-index',
    requiresSession: true,
    maxDeliveryCount: 5,
    duplicateDetectionWindowMinutes: 60,
    schema: knowledgeIndexJobSchema,
    sessionId: (job) => job.tenantId,
    messageId: (job) => `kb-index:${job.tenantId}:${job.version}`,
  }),
  /** Privacy work (deletions, exports), one session per subject so steps never overlap. */
  privacyJobs: queue({
    name: 'privacy-jobs',
    requiresSession: true,
    maxDeliveryCount: 10,
    duplicateDetectionWindowMinutes: 1440,
    schema: privacyJobSchema,
    sessionId: privacyJobSessionId,
    messageId: privacyJobMessageId,
  }),
  /** Stripe events, one session per customer so one customer's events are applied one at a time. */
  stripeEvents: queue({
    name: 'stripe-events',
    requiresSession: true,
    maxDeliveryCount: 10,
    duplicateDetectionWindowMinutes: 1440,
    schema: stripeEventSchema,
    sessionId: stripeEventSessionId,
    messageId: (event) => event.id,
    subject: (event) => event.type,
  }),
  /** Insights updates (messages, sends, transitions), one session per conversation so its figures update in order. */
  insightsEvents: queue({
    name: 'insights-events',
    requiresSession: true,
    maxDeliveryCount: 10,
    duplicateDetectionWindowMinutes: 60,
    schema: insightsJobSchema,
    sessionId: (job) => job.conversationId,
    messageId: insightsJobMessageId,
  }),
  /** Outgoing email, idempotent by key. */
  emails: queue({
    name: 'emails',
    requiresSession: false,
    maxDeliveryCount: 5,
    duplicateDetectionWindowMinutes: 1440,
    schema: emailJobSchema,
    sessionId: () => undefined,
    messageId: emailJobMessageId,
    subject: (job) => job.template,
  }),
};

/**
 * A message that breaks its queue's contract: thrown by the receiving trigger (it dead-letters) or at the sender (a
 * bug).
 */
class InvalidMessageError extends Error {
  constructor(queue: string, issues: string) {
    super(`Invalid message on ${queue}: ${issues}`);
    this.name = 'InvalidMessageError';
  }
}

/** Parses a body with its queue's schema; throws InvalidMessageError naming each bad field. */
export function parseQueueMessage<Q extends QueueContract>(queue: Q, body: unknown): QueueMessage<Q> {
  const parsed = queue.schema.safeParse(body);
  if (!parsed.success) throw new InvalidMessageError(queue.name, describeIssues(parsed.error));
  return parsed.data as QueueMessage<Q>;
}

export interface SendOptions {
  /** Deliver no earlier than this. */
  scheduledAt?: Date;
  /** Carried across hops; defaults to the current log context's. */
  correlationId?: string;
}

/**
 * The one way slices put work on a queue: each message is checked against the queue's schema (a bad
 * one is a bug and throws before anything is sent) and travels with the session and MessageId its
 * contract derives. Several messages go in one batch, in order.
 */
export async function sendToQueue<Q extends QueueContract>(
  bus: BusPublisher,
  queue: Q,
  messages: QueueInput<Q> | QueueInput<Q>[],
  options: SendOptions = {},
): Promise<void> {
  const list = (Array.isArray(messages) ? messages : [messages]).map((m) => parseQueueMessage(queue, m));
  await bus.send(
    queue.name,
    list.map((body) => {
      const sessionId = queue.sessionId(body);
      const subject = queue.subject?.(body);
      return {
        body,
        messageId: queue.messageId(body),
        ...(sessionId ? { sessionId } : {}),
        ...(subject ? { subject } : {}),
        ...(options.scheduledAt ? { scheduledAt: options.scheduledAt } : {}),
        ...(options.correlationId ? { correlationId: options.correlationId } : {}),
      };
    }),
  );
}
