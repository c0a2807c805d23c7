/**
 * The local host's broker: what Service Bus does for our triggers, on one machine. Sessions
 * (one message per session in flight, in order), MessageId duplicate detection within a window,
 * delivery counts with dead-lettering after maxDeliveryCount, scheduled messages and redelivery
 * when a handler throws. The AMQP peer feeds it; the host's dispatcher drains it.
 */

export interface BrokerMessage {
  sequenceNumber: number;
  messageId: string;
  sessionId?: string;
  correlationId?: string;
  subject?: string;
  contentType?: string;
  applicationProperties: Record<string, unknown>;
  body: unknown;
  enqueuedAt: Date;
  scheduledAt?: Date;
  deliveryCount: number;
  deadLetterReason?: string;
  deadLetterErrorDescription?: string;
  deadLetteredAt?: Date;
}

export type IncomingMessage = Omit<BrokerMessage, 'sequenceNumber' | 'enqueuedAt' | 'deliveryCount'>;

export interface BrokerQueueOptions {
  name: string;
  requiresSession: boolean;
  maxDeliveryCount: number;
  duplicateDetectionWindowMs: number;
}

/** Handles one delivery; throwing abandons it (it comes back with a higher delivery count). */
export type DeliveryHandler = (message: BrokerMessage) => Promise<void>;

interface QueueState {
  options: BrokerQueueOptions;
  ready: BrokerMessage[];
  scheduled: BrokerMessage[];
  deadLetters: BrokerMessage[];
  seen: Map<string, number>;
  inFlight: number;
  lockedSessions: Set<string>;
  handler?: DeliveryHandler;
  concurrency: number;
}

export interface BrokerOptions {
  /** Delay before an abandoned message is offered again. Azure redelivers at once; a little breathing room keeps logs readable. */
  redeliveryDelayMs?: number;
  now?: () => number;
}

export class UnknownQueueError extends Error {
  constructor(queue: string) {
    super(`Queue "${queue}" does not exist on the local bus`);
    this.name = 'UnknownQueueError';
  }
}

export class LocalBroker {
  private readonly queues = new Map<string, QueueState>();
  private sequence = 0;
  private wakeTimer: NodeJS.Timeout | undefined;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly redeliveryDelayMs: number;
  private readonly now: () => number;
  private closed = false;
  private pendingRedeliveries = 0;

  constructor(options: BrokerOptions = {}) {
    this.redeliveryDelayMs = options.redeliveryDelayMs ?? 20;
    this.now = options.now ?? Date.now;
  }

  declareQueue(options: BrokerQueueOptions): void {
    if (this.queues.has(options.name)) return;
    this.queues.set(options.name, {
      options,
      ready: [],
      scheduled: [],
      deadLetters: [],
      seen: new Map(),
      inFlight: 0,
      lockedSessions: new Set(),
      concurrency: 1,
    });
  }

  hasQueue(name: string): boolean {
    return this.queues.has(name);
  }

  queueNames(): string[] {
    return [...this.queues.keys()];
  }

  private state(name: string): QueueState {
    const state = this.queues.get(name);
    if (!state) throw new UnknownQueueError(name);
    return state;
  }

  /**
   * Accepts a message. A MessageId seen within the detection window is dropped silently, as Service
   * Bus does. Returns the sequence number, or undefined for a dropped duplicate.
   */
  enqueue(queue: string, incoming: IncomingMessage): number | undefined {
    const state = this.state(queue);
    if (state.options.requiresSession && !incoming.sessionId) {
      throw new Error(`Queue "${queue}" requires a session id on every message`);
    }
    const now = this.now();
    this.forgetOldIds(state, now);
    if (state.seen.has(incoming.messageId)) return undefined;
    state.seen.set(incoming.messageId, now);
    const message: BrokerMessage = { ...incoming, sequenceNumber: ++this.sequence, enqueuedAt: new Date(now), deliveryCount: 0 };
    if (message.scheduledAt && message.scheduledAt.getTime() > now) state.scheduled.push(message);
    else state.ready.push(message);
    this.pump();
    return message.sequenceNumber;
  }

  /** Cancels a scheduled message that has not been enqueued yet. */
  cancelScheduled(queue: string, sequenceNumber: number): boolean {
    const state = this.state(queue);
    const index = state.scheduled.findIndex((m) => m.sequenceNumber === sequenceNumber);
    if (index < 0) return false;
    state.scheduled.splice(index, 1);
    return true;
  }

  private forgetOldIds(state: QueueState, now: number): void {
    for (const [id, at] of state.seen) {
      if (now - at < state.options.duplicateDetectionWindowMs) break;
      state.seen.delete(id);
    }
  }

  /** Attaches the trigger that drains a queue, with its concurrency (calls, or sessions for session queues). */
  subscribe(queue: string, handler: DeliveryHandler, concurrency: number): void {
    const state = this.state(queue);
    state.handler = handler;
    state.concurrency = Math.max(1, concurrency);
    this.pump();
  }

  private pump(): void {
    if (this.closed) return;
    const now = this.now();
    let nextWake = Number.POSITIVE_INFINITY;
    for (const state of this.queues.values()) {
      const due = state.scheduled.filter((m) => (m.scheduledAt?.getTime() ?? 0) <= now);
      if (due.length > 0) {
        state.scheduled = state.scheduled.filter((m) => !due.includes(m));
        state.ready.push(...due);
        state.ready.sort((a, b) => a.sequenceNumber - b.sequenceNumber);
      }
      for (const m of state.scheduled) nextWake = Math.min(nextWake, m.scheduledAt?.getTime() ?? now);
      this.dispatch(state);
    }
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    if (Number.isFinite(nextWake)) {
      this.wakeTimer = setTimeout(() => this.pump(), Math.max(0, nextWake - now));
      this.wakeTimer.unref();
    }
    this.checkIdle();
  }

  private dispatch(state: QueueState): void {
    const handler = state.handler;
    if (!handler) return;
    while (state.inFlight < state.concurrency) {
      const index = state.ready.findIndex((m) => !m.sessionId || !state.lockedSessions.has(m.sessionId));
      if (index < 0) return;
      const [message] = state.ready.splice(index, 1) as [BrokerMessage];
      if (state.options.requiresSession && message.sessionId) state.lockedSessions.add(message.sessionId);
      state.inFlight++;
      message.deliveryCount++;
      void this.deliver(state, handler, message);
    }
  }

  private async deliver(state: QueueState, handler: DeliveryHandler, message: BrokerMessage): Promise<void> {
    let failure: unknown;
    try {
      await handler(message);
    } catch (error) {
      failure = error;
    }
    if (failure !== undefined) this.abandon(state, message, failure);
    state.inFlight--;
    if (failure === undefined || message.deadLetteredAt) this.releaseSession(state, message);
    this.pump();
  }

  private abandon(state: QueueState, message: BrokerMessage, failure: unknown): void {
    if (message.deliveryCount >= state.options.maxDeliveryCount) {
      message.deadLetterReason = 'MaxDeliveryCountExceeded';
      message.deadLetterErrorDescription = describeFailure(failure);
      message.deadLetteredAt = new Date(this.now());
      state.deadLetters.push(message);
      return;
    }
    // Keep the session locked while the message waits, so nothing behind it overtakes it.
    this.pendingRedeliveries++;
    const timer = setTimeout(() => {
      this.pendingRedeliveries--;
      this.releaseSession(state, message);
      state.ready.push(message);
      state.ready.sort((a, b) => a.sequenceNumber - b.sequenceNumber);
      this.pump();
    }, this.redeliveryDelayMs);
    timer.unref();
  }

  private releaseSession(state: QueueState, message: BrokerMessage): void {
    if (message.sessionId) state.lockedSessions.delete(message.sessionId);
  }

  /** Dead-lettered messages of a queue, oldest first. */
  deadLetters(queue: string): BrokerMessage[] {
    return [...this.state(queue).deadLetters];
  }

  /** Takes a dead letter out of the DLQ and returns it (for replay or discard). */
  takeDeadLetter(queue: string, sequenceNumber: number): BrokerMessage | undefined {
    const state = this.state(queue);
    const index = state.deadLetters.findIndex((m) => m.sequenceNumber === sequenceNumber);
    if (index < 0) return undefined;
    return state.deadLetters.splice(index, 1)[0];
  }

  /** Counts per queue, for health and tests. */
  depth(queue: string): { ready: number; scheduled: number; inFlight: number; deadLetters: number } {
    const s = this.state(queue);
    return { ready: s.ready.length, scheduled: s.scheduled.length, inFlight: s.inFlight, deadLetters: s.deadLetters.length };
  }

  private isIdle(includeScheduled: boolean): boolean {
    if (this.pendingRedeliveries > 0) return false;
    for (const s of this.queues.values()) {
      if (s.inFlight > 0) return false;
      if (s.handler && s.ready.length > 0) return false;
      if (includeScheduled && s.handler && s.scheduled.length > 0) return false;
    }
    return true;
  }

  private checkIdle(): void {
    if (this.idleWaiters.length > 0 && this.isIdle(true)) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Resolves once nothing is ready, in flight, waiting for redelivery or scheduled on a subscribed queue. */
  whenIdle(): Promise<void> {
    if (this.isIdle(true)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
  }
}

function describeFailure(failure: unknown): string {
  if (failure instanceof Error) return `${failure.name}: ${failure.message}`.slice(0, 1024);
  return String(failure).slice(0, 1024);
}
