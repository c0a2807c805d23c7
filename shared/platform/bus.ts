import { ServiceBusClient, type ServiceBusMessage, type ServiceBusSender } from '@azure/service-bus';
import { azureCredential } from './identity.js';
import { currentLogContext } from './log.js';

/** A message we put on a queue. */
export interface OutgoingMessage {
  body: unknown;
  /** Stable key for broker duplicate detection (a Meta mid, a Stripe event id…). */
  messageId: string;
  /** Session: messages with the same session are handled one at a time, in order. */
  sessionId?: string;
  /** Deliver no earlier than this. */
  scheduledAt?: Date;
  /** Carried across hops so one webhook's log lines can be followed; defaults to the current one. */
  correlationId?: string;
  subject?: string;
  applicationProperties?: Record<string, string | number | boolean>;
}

/** A send that did not reach the broker. Never swallowed: the caller answers 5xx and the sender retries. */
export class BusSendError extends Error {
  constructor(
    readonly queue: string,
    cause: unknown,
  ) {
    const last = cause instanceof AggregateError && cause.errors.length > 0 ? cause.errors.at(-1) : cause;
    const reason =
      last instanceof Error ? `${(last as { code?: string }).code ?? last.name}: ${last.message}` : String(last);
    super(`Could not send to queue "${queue}": ${reason}`, { cause });
    this.name = 'BusSendError';
  }
}

/** Connection facts for Service Bus: a connection string locally, a namespace with the managed identity in Azure. */
export interface BusOptions {
  connectionString?: string;
  fullyQualifiedNamespace?: string;
  /** How long one send may take, retries included, before it fails. */
  timeoutMs: number;
}

/** The one bus publisher every slice uses. */
export class BusPublisher {
  /** The one connection to the namespace; operations (dead letters) open their receivers on it too. */
  readonly client: ServiceBusClient;
  private readonly senders = new Map<string, ServiceBusSender>();

  constructor(private readonly options: BusOptions) {
    const retryOptions = {
      maxRetries: 2,
      timeoutInMs: Math.max(1000, Math.floor(options.timeoutMs / 3)),
      retryDelayInMs: 200,
    };
    if (options.connectionString) {
      this.client = new ServiceBusClient(options.connectionString, { retryOptions });
    } else if (options.fullyQualifiedNamespace) {
      this.client = new ServiceBusClient(options.fullyQualifiedNamespace, azureCredential(), { retryOptions });
    } else {
      throw new Error('BusPublisher needs a connection string or a namespace');
    }
  }

  private sender(queue: string): ServiceBusSender {
    let sender = this.senders.get(queue);
    if (!sender) {
      sender = this.client.createSender(queue);
      this.senders.set(queue, sender);
    }
    return sender;
  }

  /** Sends messages to a queue; scheduled ones go through the broker's scheduler. Throws BusSendError on failure. */
  async send(queue: string, messages: OutgoingMessage | OutgoingMessage[]): Promise<void> {
    const list = Array.isArray(messages) ? messages : [messages];
    const abortSignal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const now = list.filter((m) => !m.scheduledAt);
      if (now.length > 0) await this.sender(queue).sendMessages(now.map(toServiceBusMessage), { abortSignal });
      for (const m of list.filter((m) => m.scheduledAt)) {
        await this.sender(queue).scheduleMessages(toServiceBusMessage(m), m.scheduledAt as Date, { abortSignal });
      }
    } catch (error) {
      throw new BusSendError(queue, error);
    }
  }

  /** Readiness: opens the link to a queue. */
  async ping(queue: string): Promise<void> {
    try {
      await this.sender(queue).createMessageBatch({ abortSignal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (error) {
      throw new BusSendError(queue, error);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.senders.values()].map((s) => s.close()));
    await this.client.close();
  }
}

function toServiceBusMessage(m: OutgoingMessage): ServiceBusMessage {
  return {
    body: m.body,
    contentType: 'application/json',
    messageId: m.messageId,
    ...(m.sessionId ? { sessionId: m.sessionId } : {}),
    correlationId: m.correlationId ?? currentLogContext().correlationId,
    ...(m.subject ? { subject: m.subject } : {}),
    ...(m.applicationProperties ? { applicationProperties: m.applicationProperties } : {}),
  };
}
