import type { ServiceBusClient, ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import Long from 'long';
import type { BusPublisher } from './bus.js';
import type { Runtime } from './runtime.js';

/** A dead-lettered message as staff see it: ids, reason and timing, not the body. */
export interface DeadLetter {
  queue: string;
  sequenceNumber: number;
  messageId: string;
  reason?: string;
  description?: string;
  deliveryCount: number;
  enqueuedAt: string;
}

/** Where dead letters are read, replayed and discarded. */
export interface DeadLetterStore {
  /** Up to `max` dead letters of a queue, oldest first. */
  list(queue: string, max: number): Promise<DeadLetter[]>;
  /**
   * Sends the message back to its queue with a new MessageId (the handler's own idempotency applies) and removes it
   * from the DLQ.
   */
  replay(queue: string, sequenceNumber: number): Promise<boolean>;
  /** Removes the message from the DLQ for good. */
  discard(queue: string, sequenceNumber: number): Promise<boolean>;
  /**
   * Erasure (§9, Art. 17): removes for good every dead letter of a queue that `matches` (for a
   * subject: its body names them; for retention: it is older than the cutoff). Returns how many.
   */
  eraseMatching(queue: string, matches: (message: { body: unknown; enqueuedAt: Date }) => boolean): Promise<number>;
}

/** Messages received per round while walking to a target; small enough that their locks stay fresh. */
const WALK_BATCH = 50;

/**
 * Service Bus dead-letter subqueues through the SDK, the same code locally (against the local AMQP
 * peer) and in Azure.
 *
 * Taking one message out by sequence number: Service Bus can only receive a specific message when it
 * is deferred. So the store peeks at the sequence number first; a deferred message is received by
 * number at once. Otherwise it receives in peek-lock from the head and defers every message ahead
 * of the target: each message is received at most once (no abandon loop), the ones it passes stay
 * in the DLQ, still listed by peek, and a later replay of one of them takes the deferred path.
 */
export class ServiceBusDeadLetters implements DeadLetterStore {
  constructor(private readonly client: ServiceBusClient) {}

  async list(queue: string, max: number): Promise<DeadLetter[]> {
    const receiver = this.client.createReceiver(queue, { subQueueType: 'deadLetter', receiveMode: 'peekLock' });
    try {
      const messages: ServiceBusReceivedMessage[] = [];
      let from = Long.fromNumber(0);
      // peekMessages may return fewer than asked, so page until the DLQ is exhausted or max is reached.
      while (messages.length < max) {
        const page = await receiver.peekMessages(Math.min(max - messages.length, 250), { fromSequenceNumber: from });
        if (page.length === 0) break;
        messages.push(...page);
        from = Long.fromValue(page.at(-1)?.sequenceNumber ?? from).add(1);
      }
      return messages.map((m) => ({
        queue,
        sequenceNumber: sequenceOf(m),
        messageId: String(m.messageId ?? ''),
        reason: m.deadLetterReason,
        description: m.deadLetterErrorDescription,
        deliveryCount: m.deliveryCount ?? 0,
        enqueuedAt: (m.enqueuedTimeUtc ?? new Date(0)).toISOString(),
      }));
    } finally {
      await receiver.close();
    }
  }

  replay(queue: string, sequenceNumber: number): Promise<boolean> {
    return this.take(queue, sequenceNumber, true);
  }

  discard(queue: string, sequenceNumber: number): Promise<boolean> {
    return this.take(queue, sequenceNumber, false);
  }

  async eraseMatching(
    queue: string,
    matches: (message: { body: unknown; enqueuedAt: Date }) => boolean,
  ): Promise<number> {
    // Peek (bodies included) to find them, then take each out by sequence number and complete it.
    const receiver = this.client.createReceiver(queue, { subQueueType: 'deadLetter', receiveMode: 'peekLock' });
    const targets: number[] = [];
    try {
      let from = Long.fromNumber(0);
      for (;;) {
        const page = await receiver.peekMessages(250, { fromSequenceNumber: from });
        if (page.length === 0) break;
        for (const m of page)
          if (matches({ body: m.body, enqueuedAt: m.enqueuedTimeUtc ?? new Date(0) })) targets.push(sequenceOf(m));
        from = Long.fromValue(page.at(-1)?.sequenceNumber ?? from).add(1);
      }
    } finally {
      await receiver.close();
    }
    let erased = 0;
    for (const sequenceNumber of targets) if (await this.take(queue, sequenceNumber, false)) erased++;
    return erased;
  }

  private async take(queue: string, sequenceNumber: number, resend: boolean): Promise<boolean> {
    const receiver = this.client.createReceiver(queue, { subQueueType: 'deadLetter', receiveMode: 'peekLock' });
    try {
      const [peeked] = await receiver.peekMessages(1, { fromSequenceNumber: Long.fromNumber(sequenceNumber) });
      if (!peeked || sequenceOf(peeked) !== sequenceNumber) return false;
      const target =
        peeked.state === 'deferred'
          ? (await receiver.receiveDeferredMessages(Long.fromNumber(sequenceNumber)))[0]
          : await walkTo(receiver, sequenceNumber);
      if (!target) return false;
      if (resend) {
        const sender = this.client.createSender(queue);
        try {
          await sender.sendMessages({
            body: target.body,
            messageId: `${target.messageId}:replay:${Date.now()}`,
            sessionId: target.sessionId,
            correlationId: target.correlationId,
            subject: target.subject,
            contentType: target.contentType,
            applicationProperties: withoutDeadLetterFields(target.applicationProperties),
          });
        } catch (error) {
          // Not sent: leave it where it was, to be tried again.
          await receiver.abandonMessage(target).catch(() => undefined);
          throw error;
        }
        await sender.close();
      }
      await receiver.completeMessage(target);
      return true;
    } finally {
      await receiver.close();
    }
  }
}

/**
 * Receives from the head in peek-lock until the target comes; defers what is ahead of it, gives back what is behind.
 */
async function walkTo(
  receiver: ServiceBusReceiver,
  sequenceNumber: number,
): Promise<ServiceBusReceivedMessage | undefined> {
  for (;;) {
    const batch = await receiver.receiveMessages(WALK_BATCH, { maxWaitTimeInMs: 2000 });
    if (batch.length === 0) return undefined;
    let found: ServiceBusReceivedMessage | undefined;
    let passed = false;
    for (const m of batch) {
      const seq = sequenceOf(m);
      if (seq === sequenceNumber) found = m;
      else if (seq < sequenceNumber && !found) await receiver.deferMessage(m);
      else {
        // Behind the target (or the target is held by someone else): leave it as it was.
        passed = true;
        await receiver.abandonMessage(m);
      }
    }
    if (found || passed) return found;
  }
}

function sequenceOf(m: ServiceBusReceivedMessage): number {
  return Number(m.sequenceNumber?.toString() ?? -1);
}

function withoutDeadLetterFields(
  properties: ServiceBusReceivedMessage['applicationProperties'],
): Record<string, string | number | boolean | Date | null> | undefined {
  if (!properties) return undefined;
  const { DeadLetterReason: _r, DeadLetterErrorDescription: _d, ...rest } = properties;
  return rest as Record<string, string | number | boolean | Date | null>;
}

/** What dead-letter work needs of the runtime: the store, which functions/runtime.ts builds. */
export interface DeadLettersRuntime extends Runtime {
  deadLetters: DeadLetterStore;
}

/**
 * The dead letters of the runtime's own Service Bus connection (the local peer's, or the namespace's with the managed
 * identity).
 */
export function serviceBusDeadLetters(bus: BusPublisher): DeadLetterStore {
  return new ServiceBusDeadLetters(bus.client);
}

/** The runtime's dead-letter store; every runtime functions/ builds has one. */
export function deadLetterStore(rt: Runtime): DeadLetterStore {
  const store = (rt as Partial<DeadLettersRuntime>).deadLetters;
  if (!store) throw new Error('This runtime has no dead-letter store (functions/runtime.ts builds the app runtime)');
  return store;
}
