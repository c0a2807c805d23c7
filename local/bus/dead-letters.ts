import type { DeadLetter, DeadLetterStore } from '../../shared/operations/dead-letters.js';
import type { LocalBroker } from './broker.js';

/** The local broker's dead-letter queues, behind the same interface as Service Bus's. */
export class LocalDeadLetters implements DeadLetterStore {
  constructor(private readonly broker: LocalBroker) {}

  async list(queue: string, max: number): Promise<DeadLetter[]> {
    return this.broker
      .deadLetters(queue)
      .slice(0, max)
      .map((m) => ({ queue, sequenceNumber: m.sequenceNumber, messageId: m.messageId, reason: m.deadLetterReason, description: m.deadLetterErrorDescription, deliveryCount: m.deliveryCount, enqueuedAt: m.enqueuedAt.toISOString() }));
  }

  async replay(queue: string, sequenceNumber: number): Promise<boolean> {
    const m = this.broker.takeDeadLetter(queue, sequenceNumber);
    if (!m) return false;
    this.broker.enqueue(queue, { messageId: `${m.messageId}:replay:${Date.now()}`, sessionId: m.sessionId, correlationId: m.correlationId, subject: m.subject, contentType: m.contentType, applicationProperties: m.applicationProperties, body: m.body });
    return true;
  }

  async discard(queue: string, sequenceNumber: number): Promise<boolean> {
    return Boolean(this.broker.takeDeadLetter(queue, sequenceNumber));
  }
}
