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

export const QUEUES = {
  /** Meta webhook events, one session per conversation. */
  metaEvents: { name: 'meta-events', requiresSession: true, maxDeliveryCount: 10, duplicateDetectionWindowMinutes: 60 },
  /** Reply jobs, scheduled after the burst wait, one session per conversation. */
  replies: { name: 'replies', requiresSession: true, maxDeliveryCount: 10, duplicateDetectionWindowMinutes: 60 },
  /** Send API calls, one session per conversation so parts go out in order. */
  outbound: { name: 'outbound', requiresSession: true, maxDeliveryCount: 10, duplicateDetectionWindowMinutes: 60 },
  /** Knowledge base re-indexing, one session per tenant so builds never overlap. */
  knowledgeIndex: {
    name: 'knowledge-index',
    requiresSession: true,
    maxDeliveryCount: 5,
    duplicateDetectionWindowMinutes: 60,
  },
  /** Privacy work (deletions, exports), one session per subject so steps never overlap. */
  privacyJobs: {
    name: 'privacy-jobs',
    requiresSession: true,
    maxDeliveryCount: 10,
    duplicateDetectionWindowMinutes: 1440,
  },
  /** Stripe events, one session per customer so one customer's events are applied one at a time. */
  stripeEvents: {
    name: 'stripe-events',
    requiresSession: true,
    maxDeliveryCount: 10,
    duplicateDetectionWindowMinutes: 1440,
  },
  /** Insights updates (messages, sends, transitions), one session per conversation so its figures update in order. */
  insightsEvents: {
    name: 'insights-events',
    requiresSession: true,
    maxDeliveryCount: 10,
    duplicateDetectionWindowMinutes: 60,
  },
  /** Outgoing email, idempotent by key. */
  emails: { name: 'emails', requiresSession: false, maxDeliveryCount: 5, duplicateDetectionWindowMinutes: 1440 },
} as const satisfies Record<string, QueueDefinition>;

/** Looks a queue up by name. */
export function queueDefinition(name: string): QueueDefinition | undefined {
  return Object.values(QUEUES as Record<string, QueueDefinition>).find((q) => q.name === name);
}
