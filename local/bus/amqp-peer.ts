import type { AddressInfo } from 'node:net';
import rhea, { type Connection, type EventContext, type Message, type Sender } from 'rhea';
import type { IncomingMessage, LocalBroker } from './broker.js';

/**
 * A small AMQP 1.0 peer on 127.0.0.1 that lets the real `@azure/service-bus` SDK send to the local
 * broker (connection string with UseDevelopmentEmulator=true). It answers the three things the
 * SDK's sender needs: the CBS put-token on `$cbs`, messages on a queue's link, and scheduling
 * through the queue's `$management` node.
 */
export class AmqpPeer {
  private server: ReturnType<ReturnType<typeof rhea.create_container>['listen']> | undefined;
  private readonly connections = new Set<Connection>();
  port = 0;

  constructor(private readonly broker: LocalBroker) {}

  /** The connection string the SDK uses to reach this peer. */
  get connectionString(): string {
    return `Endpoint=sb://127.0.0.1:${this.port};SharedAccessKeyName=local;SharedAccessKey=local;UseDevelopmentEmulator=true`;
  }

  async start(port = 0): Promise<void> {
    const container = rhea.create_container({ id: 'aliat-local-bus' });
    container.on('connection_open', (ctx: EventContext) => {
      if (ctx.connection) this.connections.add(ctx.connection);
    });
    container.on('disconnected', (ctx: EventContext) => {
      if (ctx.connection) this.connections.delete(ctx.connection);
    });
    container.on('sender_open', (ctx: EventContext) => {
      // A link the client receives on (CBS and management replies): echo its source back.
      ctx.sender?.set_source({ address: ctx.sender.source?.address ?? ctx.sender.name });
    });
    container.on('receiver_open', (ctx: EventContext) => {
      const receiver = ctx.receiver;
      if (!receiver) return;
      const address = String(receiver.target?.address ?? '');
      const entity = address.replace(/\/\$management$/, '');
      if (address !== '$cbs' && !this.broker.hasQueue(entity)) {
        receiver.close({ condition: 'amqp:not-found', description: `The messaging entity '${entity}' could not be found.` });
        return;
      }
      receiver.set_target({ address });
    });
    container.on('message', (ctx: EventContext) => this.onMessage(ctx));
    const server = container.listen({ port, host: '127.0.0.1' });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', () => resolve());
      server.once('error', reject);
    });
    this.port = (server.address() as AddressInfo).port;
  }

  private onMessage(ctx: EventContext): void {
    const message = ctx.message;
    const address = String(ctx.receiver?.target?.address ?? '');
    if (!message) return;
    try {
      if (address === '$cbs') {
        this.reply(ctx, message, { 'status-code': 200, 'status-description': 'OK' }, undefined);
      } else if (address.endsWith('/$management')) {
        this.onManagement(ctx, address.replace(/\/\$management$/, ''), message);
      } else {
        for (const m of unbatch(message, ctx.delivery?.format)) this.broker.enqueue(address, fromAmqp(m));
      }
      ctx.delivery?.accept();
    } catch (error) {
      ctx.delivery?.reject({ condition: 'amqp:internal-error', description: (error as Error).message });
    }
  }

  private onManagement(ctx: EventContext, queue: string, request: Message): void {
    const operation = String(request.application_properties?.operation ?? '');
    if (operation === 'com.microsoft:schedule-message') {
      const entries = ((request.body as { messages?: Array<{ message: Buffer }> })?.messages ?? []) as Array<{ message: Buffer }>;
      const sequenceNumbers = entries.map((entry) => {
        const decoded = rhea.message.decode(entry.message) as unknown as Message;
        return this.broker.enqueue(queue, fromAmqp(decoded)) ?? 0;
      });
      this.reply(ctx, request, { statusCode: 200 }, { 'sequence-numbers': sequenceNumbers });
    } else if (operation === 'com.microsoft:cancel-scheduled-message') {
      const numbers = ((request.body as { 'sequence-numbers'?: unknown[] })?.['sequence-numbers'] ?? []).map(toNumber);
      for (const n of numbers) this.broker.cancelScheduled(queue, n);
      this.reply(ctx, request, { statusCode: 200 }, {});
    } else {
      this.reply(ctx, request, { statusCode: 501, statusDescription: `Operation ${operation} is not supported locally` }, {});
    }
  }

  /** Answers on the link whose name equals the request's reply_to, correlated by message id. */
  private reply(ctx: EventContext, request: Message, properties: Record<string, unknown>, body: unknown): void {
    const replyTo = String(request.reply_to ?? '');
    const link = ctx.connection.find_sender((s: Sender) => s.name === replyTo || s.source?.address === replyTo);
    link?.send({ correlation_id: request.message_id, application_properties: properties, body });
  }

  async stop(): Promise<void> {
    for (const connection of this.connections) connection.close();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }
}

/** The SDK sends several messages as one batch delivery (format 0x80013700) whose data sections are encoded messages. */
function unbatch(message: Message, format: number | undefined): Message[] {
  if (format !== 0x80013700) return [message];
  // rhea leaves a non-standard format undecoded: the delivery payload arrives as raw bytes.
  const outer = Buffer.isBuffer(message) ? (rhea.message.decode(message as unknown as Buffer) as unknown as Message) : message;
  const section = outer.body as { content?: unknown; multiple?: boolean } | undefined;
  const parts = section?.multiple ? (section.content as Buffer[]) : [section?.content as Buffer];
  return parts.filter(Buffer.isBuffer).map((part) => rhea.message.decode(part) as unknown as Message);
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (Buffer.isBuffer(value)) return Number(value.readBigInt64BE(0));
  return Number(value);
}

function decodeBody(body: unknown): unknown {
  const section = body as { typecode?: number; content?: unknown } | undefined;
  const content = section && typeof section === 'object' && 'typecode' in section ? section.content : body;
  if (Buffer.isBuffer(content)) {
    const text = content.toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return content;
}

/** Maps an AMQP message as the SDK encodes it to what the broker keeps. */
function fromAmqp(m: Message): IncomingMessage {
  const annotations = (m.message_annotations ?? {}) as Record<string, unknown>;
  const scheduled = annotations['x-opt-scheduled-enqueue-time'];
  return {
    messageId: String(m.message_id ?? ''),
    ...(m.group_id ? { sessionId: String(m.group_id) } : {}),
    ...(m.correlation_id ? { correlationId: String(m.correlation_id) } : {}),
    ...(m.subject ? { subject: String(m.subject) } : {}),
    ...(m.content_type ? { contentType: String(m.content_type) } : {}),
    applicationProperties: { ...(m.application_properties ?? {}) },
    body: decodeBody(m.body),
    ...(scheduled ? { scheduledAt: new Date(scheduled as Date | number) } : {}),
  };
}
