import { ServiceBusClient } from '@azure/service-bus';
import { azureCredential } from '../platform/identity.js';
import type { Runtime } from '../platform/runtime.js';

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
  list(queue: string, max: number): Promise<DeadLetter[]>;
  /** Sends the message back to its queue with a new MessageId (the handler's own idempotency applies) and removes it from the DLQ. */
  replay(queue: string, sequenceNumber: number): Promise<boolean>;
  discard(queue: string, sequenceNumber: number): Promise<boolean>;
}

/**
 * Service Bus dead-letter subqueues through the SDK: peek to list; receive in peek-lock to replay
 * (resend, then complete) or discard (complete). Used in Azure; the local host installs its own.
 */
export class ServiceBusDeadLetters implements DeadLetterStore {
  private readonly client: ServiceBusClient;

  constructor(r: Runtime) {
    const s = r.settings;
    this.client = s.ServiceBusConnection ? new ServiceBusClient(s.ServiceBusConnection) : new ServiceBusClient(s.ServiceBusConnection__fullyQualifiedNamespace as string, azureCredential());
  }

  async list(queue: string, max: number): Promise<DeadLetter[]> {
    const receiver = this.client.createReceiver(queue, { subQueueType: 'deadLetter', receiveMode: 'peekLock' });
    try {
      const messages = await receiver.peekMessages(max);
      return messages.map((m) => ({
        queue,
        sequenceNumber: Number(m.sequenceNumber?.toString() ?? 0),
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

  private async take(queue: string, sequenceNumber: number, resend: boolean): Promise<boolean> {
    const receiver = this.client.createReceiver(queue, { subQueueType: 'deadLetter', receiveMode: 'peekLock' });
    const sender = this.client.createSender(queue);
    try {
      for (;;) {
        const batch = await receiver.receiveMessages(50, { maxWaitTimeInMs: 2000 });
        if (batch.length === 0) return false;
        for (const m of batch) {
          if (Number(m.sequenceNumber?.toString()) !== sequenceNumber) {
            await receiver.abandonMessage(m);
            continue;
          }
          if (resend) {
            await sender.sendMessages({ body: m.body, messageId: `${m.messageId}:replay:${Date.now()}`, sessionId: m.sessionId, correlationId: m.correlationId, subject: m.subject, applicationProperties: m.applicationProperties, contentType: m.contentType });
          }
          await receiver.completeMessage(m);
          return true;
        }
      }
    } finally {
      await sender.close();
      await receiver.close();
    }
  }

  replay(queue: string, sequenceNumber: number): Promise<boolean> {
    return this.take(queue, sequenceNumber, true);
  }

  discard(queue: string, sequenceNumber: number): Promise<boolean> {
    return this.take(queue, sequenceNumber, false);
  }
}

let store: ((r: Runtime) => DeadLetterStore) | undefined;

/** The local host installs its broker-backed store here. */
export function setDeadLetterStore(make: ((r: Runtime) => DeadLetterStore) | undefined): void {
  store = make;
}

export function deadLetterStore(r: Runtime): DeadLetterStore {
  return store ? store(r) : new ServiceBusDeadLetters(r);
}
