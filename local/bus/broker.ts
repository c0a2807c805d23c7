import { randomUUID } from 'node:crypto';

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
  /** Set aside by its receiver: only a receive by sequence number takes it (Service Bus "deferred"). */
  deferred?: boolean;
  /** While a receiver holds it in peek-lock. */
  lockToken?: string;
  lockedUntil?: Date;
}

/** A queue's own messages, or its dead-letter subqueue (`<queue>/$deadletterqueue`). */
export type SubQueue = 'active' | 'deadLetter';
export type ReceiveMode = 'peekLock' | 'receiveAndDelete';

/** How a receiver settles a locked message (the four Service Bus outcomes). */
export type Settlement =
  | { outcome: 'complete' }
  | { outcome: 'abandon'; properties?: Record<string, unknown> }
  | { outcome: 'defer'; properties?: Record<string, unknown> }
  | { outcome: 'deadLetter'; reason?: string; description?: string; properties?: Record<string, unknown> };

/** A message handed to a receiver link or a receive by sequence number. */
export interface Received {
  message: BrokerMessage;
  /** Absent in receive-and-delete mode: the message is already gone. */
  lockToken?: string;
}

interface Lock {
  token: string;
  queue: string;
  sub: SubQueue;
  message: BrokerMessage;
}

export type IncomingMessage = Omit<
  BrokerMessage,
  'sequenceNumber' | 'enqueuedAt' | 'deliveryCount' | 'deferred' | 'lockToken' | 'lockedUntil'
>;

export interface BrokerQueueOptions {
  name: string;
  requiresSession: boolean;
  maxDeliveryCount: number;
  duplicateDetectionWindowMs: number;
  /** How long a peek-lock receiver holds a message before it is offered again (Azure's default: 1 minute). */
  lockDurationMs?: number;
}

/** Handles one delivery; throwing abandons it (it comes back with a higher delivery count). */
export type DeliveryHandler = (message: BrokerMessage) => Promise<void>;

interface QueueState {
  options: BrokerQueueOptions;
  ready: BrokerMessage[];
  scheduled: BrokerMessage[];
  /** Active messages a receiver deferred. */
  deferred: BrokerMessage[];
  deadLetters: BrokerMessage[];
  seen: Map<string, number>;
  inFlight: number;
  lockedSessions: Set<string>;
  handler?: DeliveryHandler;
  concurrency: number;
}

export interface BrokerOptions {
  /**
   * Delay before an abandoned message is offered again. Azure redelivers at once; a little breathing room keeps logs
   * readable.
   */
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
  private readonly locks = new Map<string, Lock>();
  private readonly availableListeners = new Set<() => void>();

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
      deferred: [],
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
    const message: BrokerMessage = {
      ...incoming,
      sequenceNumber: ++this.sequence,
      enqueuedAt: new Date(now),
      deliveryCount: 0,
    };
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
    for (const listener of this.availableListeners) listener();
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
      this.moveToDeadLetters(state, message, 'MaxDeliveryCountExceeded', describeFailure(failure));
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

  private moveToDeadLetters(
    state: QueueState,
    message: BrokerMessage,
    reason: string | undefined,
    description: string | undefined,
  ): void {
    if (reason !== undefined) message.deadLetterReason = reason;
    if (description !== undefined) message.deadLetterErrorDescription = description;
    message.deadLetteredAt = new Date(this.now());
    message.deferred = undefined;
    state.deadLetters.push(message);
    state.deadLetters.sort((a, b) => a.sequenceNumber - b.sequenceNumber);
  }

  /** Called whenever messages may have become available to receivers (the AMQP peer feeds its links). */
  onAvailable(listener: () => void): () => void {
    this.availableListeners.add(listener);
    return () => this.availableListeners.delete(listener);
  }

  /**
   * Hands the next available message of a queue or its dead-letter subqueue to a receiver link.
   * Peek-lock hides it behind a lock until settled or expired; receive-and-delete removes it.
   * Deferred and locked messages are skipped, as Service Bus does.
   */
  receive(queue: string, sub: SubQueue, mode: ReceiveMode): Received | undefined {
    const state = this.state(queue);
    this.expireLocks();
    if (sub === 'active') {
      const index = state.ready.findIndex((m) => !m.sessionId || !state.lockedSessions.has(m.sessionId));
      if (index < 0) return undefined;
      const [message] = state.ready.splice(index, 1) as [BrokerMessage];
      message.deliveryCount++;
      if (mode === 'receiveAndDelete') return { message };
      return { message, lockToken: this.lock(state, queue, sub, message) };
    }
    const index = state.deadLetters.findIndex((m) => !m.deferred && !m.lockToken);
    if (index < 0) return undefined;
    const message = state.deadLetters[index] as BrokerMessage;
    message.deliveryCount++;
    if (mode === 'receiveAndDelete') {
      state.deadLetters.splice(index, 1);
      return { message };
    }
    return { message, lockToken: this.lock(state, queue, sub, message) };
  }

  /** Takes deferred messages by sequence number. Throws MessageNotFoundError if one is not deferred there. */
  receiveDeferred(queue: string, sub: SubQueue, sequenceNumbers: number[], mode: ReceiveMode): Received[] {
    const state = this.state(queue);
    this.expireLocks();
    const list = sub === 'active' ? state.deferred : state.deadLetters;
    const found = sequenceNumbers.map((n) => {
      const message = list.find((m) => m.sequenceNumber === n && m.deferred && !m.lockToken);
      if (!message)
        throw new MessageNotFoundError(
          `Failed to lock one or more specified messages. Message ${n} is not a deferred message of ${entityName(queue, sub)}.`,
        );
      return message;
    });
    return found.map((message) => {
      message.deliveryCount++;
      if (mode === 'receiveAndDelete') {
        list.splice(list.indexOf(message), 1);
        return { message };
      }
      return { message, lockToken: this.lock(state, queue, sub, message) };
    });
  }

  /** Messages from a sequence number on, without locking them: active, deferred, locked and scheduled ones alike. */
  peek(queue: string, sub: SubQueue, fromSequenceNumber: number, count: number): BrokerMessage[] {
    const state = this.state(queue);
    this.expireLocks();
    const all =
      sub === 'deadLetter'
        ? state.deadLetters
        : [
            ...state.ready,
            ...state.deferred,
            ...state.scheduled,
            ...[...this.locks.values()].filter((l) => l.queue === queue && l.sub === 'active').map((l) => l.message),
          ];
    return all
      .filter((m) => m.sequenceNumber >= fromSequenceNumber)
      .sort((a, b) => a.sequenceNumber - b.sequenceNumber)
      .slice(0, Math.max(0, count));
  }

  /** Settles a locked message. Throws MessageLockLostError when the lock expired or never existed. */
  settle(lockToken: string, settlement: Settlement): void {
    this.expireLocks();
    const lock = this.locks.get(lockToken);
    if (!lock)
      throw new MessageLockLostError(
        `The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue. Reference: ${lockToken}`,
      );
    this.locks.delete(lockToken);
    const state = this.state(lock.queue);
    const { message } = lock;
    message.lockToken = undefined;
    message.lockedUntil = undefined;
    if ('properties' in settlement && settlement.properties)
      Object.assign(message.applicationProperties, settlement.properties);
    const list = lock.sub === 'active' ? undefined : state.deadLetters;
    const removeFromDeadLetters = () => list?.splice(list.indexOf(message), 1);
    switch (settlement.outcome) {
      case 'complete':
        removeFromDeadLetters();
        if (lock.sub === 'active' && message.deferred) state.deferred.splice(state.deferred.indexOf(message), 1);
        break;
      case 'defer':
        message.deferred = true;
        if (lock.sub === 'active' && !state.deferred.includes(message)) state.deferred.push(message);
        break;
      case 'deadLetter':
        if (lock.sub === 'deadLetter')
          throw new InvalidOperationError('A message in a dead-letter subqueue cannot be dead-lettered again.');
        if (message.deferred) state.deferred.splice(state.deferred.indexOf(message), 1);
        this.moveToDeadLetters(state, message, settlement.reason, settlement.description);
        break;
      case 'abandon':
        this.release(state, lock);
        break;
    }
    this.pump();
  }

  /** Extends a lock by the queue's lock duration; returns the new expiry. */
  renewLock(lockToken: string): Date {
    this.expireLocks();
    const lock = this.locks.get(lockToken);
    if (!lock) throw new MessageLockLostError(`The lock supplied is invalid. Reference: ${lockToken}`);
    lock.message.lockedUntil = new Date(this.now() + this.lockDuration(lock.queue));
    return lock.message.lockedUntil;
  }

  private lockDuration(queue: string): number {
    return this.state(queue).options.lockDurationMs ?? 60_000;
  }

  private lock(state: QueueState, queue: string, sub: SubQueue, message: BrokerMessage): string {
    const token = randomUUID();
    message.lockToken = token;
    message.lockedUntil = new Date(this.now() + (state.options.lockDurationMs ?? 60_000));
    this.locks.set(token, { token, queue, sub, message });
    return token;
  }

  /** An abandoned or expired lock: the message is offered again, or dead-lettered past maxDeliveryCount. */
  private release(state: QueueState, lock: Lock): void {
    const { message } = lock;
    message.lockToken = undefined;
    message.lockedUntil = undefined;
    if (lock.sub === 'deadLetter' || message.deferred) return;
    if (message.deliveryCount >= state.options.maxDeliveryCount) {
      this.moveToDeadLetters(
        state,
        message,
        'MaxDeliveryCountExceeded',
        'Message could not be consumed after maximum delivery attempts.',
      );
      return;
    }
    state.ready.push(message);
    state.ready.sort((a, b) => a.sequenceNumber - b.sequenceNumber);
  }

  private expireLocks(): void {
    const now = this.now();
    let released = false;
    for (const lock of this.locks.values()) {
      if ((lock.message.lockedUntil?.getTime() ?? 0) > now) continue;
      this.locks.delete(lock.token);
      this.release(this.state(lock.queue), lock);
      released = true;
    }
    if (released) queueMicrotask(() => this.pump());
  }

  /** Counts per queue, for health and tests. */
  depth(queue: string): { ready: number; scheduled: number; inFlight: number; deadLetters: number } {
    const s = this.state(queue);
    return {
      ready: s.ready.length,
      scheduled: s.scheduled.length,
      inFlight: s.inFlight,
      deadLetters: s.deadLetters.length,
    };
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

  /** Reads the clock again: a test that moved its clock forward calls this to deliver what is now due. */
  wake(): void {
    this.pump();
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

export class MessageLockLostError extends Error {
  readonly condition = 'com.microsoft:message-lock-lost';
}

export class MessageNotFoundError extends Error {
  readonly condition = 'com.microsoft:message-not-found';
}

export class InvalidOperationError extends Error {
  readonly condition = 'amqp:not-allowed';
}

function entityName(queue: string, sub: SubQueue): string {
  return sub === 'deadLetter' ? `${queue}/$deadletterqueue` : queue;
}

function describeFailure(failure: unknown): string {
  if (failure instanceof Error) return `${failure.name}: ${failure.message}`.slice(0, 1024);
  return String(failure).slice(0, 1024);
}
