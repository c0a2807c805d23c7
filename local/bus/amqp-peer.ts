import type { AddressInfo } from 'node:net';
import rhea, { type Connection, type EventContext, type Message, type Sender } from 'rhea';
import type { BrokerMessage, IncomingMessage, LocalBroker, ReceiveMode, Settlement, SubQueue } from './broker.js';

/**
 * A small AMQP 1.0 peer on 127.0.0.1 that lets the real `@azure/service-bus` SDK talk to the local
 * broker (connection string with UseDevelopmentEmulator=true). It answers what the SDK's senders and
 * receivers need: the CBS put-token on `$cbs`; messages on a queue's link; receiver links on a queue
 * or its `<queue>/$deadletterqueue` in peek-lock or receive-and-delete, with the four settlements
 * (complete, abandon, dead-letter, defer); and the `$management` operations for scheduling, peeking
 * by sequence number, receiving deferred messages, settling them and renewing locks.
 */
export class AmqpPeer {
  private server: ReturnType<ReturnType<typeof rhea.create_container>['listen']> | undefined;
  private readonly connections = new Set<Connection>();
  /** Open receiver links (our senders), fed whenever the broker has something for them. */
  private readonly receiverLinks = new Map<Sender, ReceiverLink>();
  private unsubscribe: (() => void) | undefined;
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
      for (const [sender] of this.receiverLinks)
        if (sender.connection === ctx.connection) this.receiverLinks.delete(sender);
    });
    container.on('sender_open', (ctx: EventContext) => this.onReceiverAttach(ctx));
    container.on('sender_close', (ctx: EventContext) => {
      if (ctx.sender) this.receiverLinks.delete(ctx.sender);
    });
    container.on('sendable', (ctx: EventContext) => this.feed(ctx.sender));
    container.on('sender_draining', (ctx: EventContext) => this.feed(ctx.sender));
    container.on('accepted', (ctx: EventContext) => this.onSettlement(ctx, { outcome: 'complete' }));
    container.on('released', (ctx: EventContext) => this.onSettlement(ctx, fromReleased(ctx.delivery?.remote_state)));
    container.on('rejected', (ctx: EventContext) => this.onSettlement(ctx, fromRejected(ctx.delivery?.remote_state)));
    container.on('receiver_open', (ctx: EventContext) => {
      const receiver = ctx.receiver;
      if (!receiver) return;
      const address = String(receiver.target?.address ?? '');
      const entity = parseEntity(address.replace(/\/\$management$/, ''));
      if (address !== '$cbs' && !(entity && this.broker.hasQueue(entity.queue))) {
        receiver.close({
          condition: 'amqp:not-found',
          description: `The messaging entity '${address}' could not be found.`,
        });
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
    this.unsubscribe = this.broker.onAvailable(() => {
      for (const sender of this.receiverLinks.keys()) this.feed(sender);
    });
  }

  /** The client opened a receiving link: a reply link ($cbs, $management) or a queue receiver. */
  private onReceiverAttach(ctx: EventContext): void {
    const sender = ctx.sender;
    if (!sender) return;
    const address = String(sender.source?.address ?? sender.name);
    if (address === '$cbs' || address.endsWith('/$management')) {
      // Replies to requests: echo the source back so the client can match them.
      sender.set_source({ address });
      return;
    }
    const entity = parseEntity(address);
    if (!entity || !this.broker.hasQueue(entity.queue)) {
      sender.close({
        condition: 'amqp:not-found',
        description: `The messaging entity '${address}' could not be found.`,
      });
      return;
    }
    // Answer with the settle modes the client asked for: pre-settled deliveries mean receive-and-delete.
    const attach = sender as unknown as {
      local: { attach: Record<string, unknown> };
      remote: { attach: Record<string, unknown> };
    };
    const mode: ReceiveMode = attach.remote.attach.snd_settle_mode === 1 ? 'receiveAndDelete' : 'peekLock';
    attach.local.attach.snd_settle_mode = mode === 'receiveAndDelete' ? 1 : 0;
    attach.local.attach.rcv_settle_mode = mode === 'receiveAndDelete' ? 0 : 1;
    sender.set_source({ address });
    this.receiverLinks.set(sender, { ...entity, mode, unsent: [] });
    queueMicrotask(() => this.feed(sender));
  }

  /** Sends what the broker has while the link has credit; answers a drain once nothing is left. */
  private feed(sender: Sender | undefined): void {
    const link = sender && this.receiverLinks.get(sender);
    if (!sender || !link || !sender.is_open()) return;
    // rhea takes credit only when a delivery goes out on the wire, so count what is queued but unsent.
    const outgoing = (sender as unknown as { session: { outgoing: { next_pending_delivery: number } } }).session
      .outgoing;
    link.unsent = link.unsent.filter((d) => d.id >= outgoing.next_pending_delivery);
    while ((sender as unknown as { credit: number }).credit > link.unsent.length) {
      const received = this.broker.receive(link.queue, link.sub, link.mode);
      if (!received) break;
      const tag = received.lockToken
        ? dotnetOrder(rhea.string_to_uuid(received.lockToken))
        : Buffer.from(rhea.generate_uuid());
      link.unsent.push(sender.send(toAmqp(received.message, link), tag) as unknown as { id: number });
    }
    if (!(sender as unknown as { _draining?: boolean })._draining) return;
    if (link.unsent.length === 0) sender.set_drained(true);
    else setImmediate(() => this.feed(sender));
  }

  /**
   * The client settled a delivery in peek-lock: apply it, then settle our side (with an error if the lock was lost).
   */
  private onSettlement(ctx: EventContext, settlement: Settlement): void {
    const delivery = ctx.delivery;
    const sender = ctx.sender;
    if (!delivery || !sender || !this.receiverLinks.has(sender) || delivery.settled) return;
    const token = rhea.uuid_to_string(dotnetOrder(delivery.tag as Buffer));
    try {
      this.broker.settle(token, settlement);
      // Settle with the client's outcome; a dead-letter's error info is not echoed (the SDK would read it as a
      // failure).
      const outcome =
        settlement.outcome === 'deadLetter'
          ? outcomes.rejected({})
          : (delivery.remote_state as { described?: () => unknown } | undefined);
      delivery.update(true, outcome?.described?.());
    } catch (error) {
      delivery.update(true, outcomes.rejected({ error: amqpError(error) }).described());
    }
  }

  private onMessage(ctx: EventContext): void {
    const message = ctx.message;
    const address = String(ctx.receiver?.target?.address ?? '');
    if (!message) return;
    try {
      if (address === '$cbs') {
        this.reply(ctx, message, { 'status-code': 200, 'status-description': 'OK' }, undefined);
      } else if (address.endsWith('/$management')) {
        this.onManagement(ctx, parseEntity(address.replace(/\/\$management$/, '')) as Entity, message);
      } else {
        for (const m of unbatch(message, ctx.delivery?.format)) this.broker.enqueue(address, fromAmqp(m));
      }
      ctx.delivery?.accept();
    } catch (error) {
      ctx.delivery?.reject({ condition: 'amqp:internal-error', description: (error as Error).message });
    }
  }

  private onManagement(ctx: EventContext, entity: Entity, request: Message): void {
    const operation = String(request.application_properties?.operation ?? '');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { queue, sub } = entity;
    try {
      if (operation === 'com.microsoft:schedule-message') {
        const entries = (body.messages ?? []) as Array<{ message: Buffer }>;
        const sequenceNumbers = entries.map((entry) => {
          const decoded = rhea.message.decode(entry.message) as unknown as Message;
          return this.broker.enqueue(queue, fromAmqp(decoded)) ?? 0;
        });
        this.reply(ctx, request, { statusCode: 200 }, { 'sequence-numbers': sequenceNumbers });
      } else if (operation === 'com.microsoft:cancel-scheduled-message') {
        for (const n of asList(body['sequence-numbers']).map(toNumber)) this.broker.cancelScheduled(queue, n);
        this.reply(ctx, request, { statusCode: 200 }, {});
      } else if (operation === 'com.microsoft:peek-message') {
        const found = this.broker.peek(
          queue,
          sub,
          toNumber(body['from-sequence-number']),
          toNumber(body['message-count'] ?? 1),
        );
        if (found.length === 0) this.reply(ctx, request, { statusCode: 204, statusDescription: 'No messages' }, {});
        else
          this.reply(
            ctx,
            request,
            { statusCode: 200 },
            { messages: found.map((m) => ({ message: rhea.message.encode(toAmqp(m, entity)) })) },
          );
      } else if (operation === 'com.microsoft:receive-by-sequence-number') {
        const mode: ReceiveMode = toNumber(body['receiver-settle-mode'] ?? 1) === 0 ? 'receiveAndDelete' : 'peekLock';
        const received = this.broker.receiveDeferred(queue, sub, asList(body['sequence-numbers']).map(toNumber), mode);
        const messages = received.map((r) => ({
          message: rhea.message.encode(toAmqp(r.message, entity)),
          'lock-token': rhea.types.wrap_uuid(rhea.string_to_uuid(r.lockToken ?? rhea.generate_uuid())),
        }));
        this.reply(ctx, request, { statusCode: 200 }, { messages });
      } else if (operation === 'com.microsoft:update-disposition') {
        const settlement = fromDispositionStatus(body);
        for (const token of asList(body['lock-tokens']))
          this.broker.settle(rhea.uuid_to_string(token as Buffer), settlement);
        this.reply(ctx, request, { statusCode: 200 }, {});
      } else if (operation === 'com.microsoft:renew-lock') {
        const expirations = asList(body['lock-tokens']).map((token) =>
          this.broker.renewLock(rhea.uuid_to_string(token as Buffer)),
        );
        this.reply(
          ctx,
          request,
          { statusCode: 200 },
          {
            expirations: rhea.types.wrap_array(
              expirations.map((d) => d.getTime()),
              0x83,
              undefined,
            ),
          },
        );
      } else {
        this.reply(
          ctx,
          request,
          { statusCode: 501, statusDescription: `Operation ${operation} is not supported locally` },
          {},
        );
      }
    } catch (error) {
      const { condition, description } = amqpError(error);
      this.reply(
        ctx,
        request,
        {
          statusCode:
            condition === 'com.microsoft:message-not-found'
              ? 404
              : condition === 'com.microsoft:message-lock-lost'
                ? 410
                : 400,
          statusDescription: description,
          errorCondition: condition,
        },
        {},
      );
    }
  }

  /** Answers on the link whose name equals the request's reply_to, correlated by message id. */
  private reply(ctx: EventContext, request: Message, properties: Record<string, unknown>, body: unknown): void {
    const replyTo = String(request.reply_to ?? '');
    const link = ctx.connection.find_sender((s: Sender) => s.name === replyTo || s.source?.address === replyTo);
    link?.send({ correlation_id: request.message_id, application_properties: properties, body });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.receiverLinks.clear();
    for (const connection of this.connections) connection.close();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }
}

/** rhea builds outcomes at run time; its typings leave them out. */
const outcomes = rhea.message as unknown as { rejected(fields: unknown): { described(): unknown } };

interface Entity {
  queue: string;
  sub: SubQueue;
}

interface ReceiverLink extends Entity {
  mode: ReceiveMode;
  /** Deliveries handed to rhea that have not gone out yet. */
  unsent: Array<{ id: number }>;
}

/** `q` is a queue, `q/$deadletterqueue` its dead-letter subqueue. */
function parseEntity(address: string): Entity | undefined {
  const match = /^([^/]+)(\/\$deadletterqueue)?$/i.exec(address);
  if (!match) return undefined;
  return { queue: match[1] as string, sub: match[2] ? 'deadLetter' : 'active' };
}

/** Service Bus lock tokens are .NET GUIDs: the SDK swaps the first three groups of the delivery tag. */
function dotnetOrder(bytes: Buffer): Buffer {
  return Buffer.from([
    bytes[3],
    bytes[2],
    bytes[1],
    bytes[0],
    bytes[5],
    bytes[4],
    bytes[7],
    bytes[6],
    ...bytes.subarray(8),
  ] as number[]);
}

/** `modified` with undeliverable-here is a deferral; anything else released is an abandon. */
function fromReleased(state: unknown): Settlement {
  const s = (state ?? {}) as { undeliverable_here?: boolean; message_annotations?: Record<string, unknown> };
  const properties = s.message_annotations ?? undefined;
  return s.undeliverable_here ? { outcome: 'defer', properties } : { outcome: 'abandon', properties };
}

function fromRejected(state: unknown): Settlement {
  const error = ((state ?? {}) as { error?: { condition?: string; info?: Record<string, unknown> } }).error;
  const { DeadLetterReason, DeadLetterErrorDescription, ...properties } = error?.info ?? {};
  return {
    outcome: 'deadLetter',
    reason: optionalString(DeadLetterReason),
    description: optionalString(DeadLetterErrorDescription),
    properties,
  };
}

function fromDispositionStatus(body: Record<string, unknown>): Settlement {
  const properties = (body['properties-to-modify'] ?? undefined) as Record<string, unknown> | undefined;
  switch (String(body['disposition-status'])) {
    case 'completed':
      return { outcome: 'complete' };
    case 'defered':
      return { outcome: 'defer', properties };
    case 'suspended':
      return {
        outcome: 'deadLetter',
        reason: optionalString(body['deadletter-reason']),
        description: optionalString(body['deadletter-description']),
        properties,
      };
    default:
      return { outcome: 'abandon', properties };
  }
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function amqpError(error: unknown): { condition: string; description: string } {
  const condition = (error as { condition?: string }).condition ?? 'amqp:internal-error';
  return { condition, description: error instanceof Error ? error.message : String(error) };
}

function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  const typed = value as { value?: unknown } | undefined;
  if (typed && Array.isArray(typed.value))
    return typed.value.map((v: { value?: unknown }) => (v && typeof v === 'object' && 'value' in v ? v.value : v));
  return value === undefined ? [] : [value];
}

/** What a receiver sees: the message as sent, plus the broker's annotations and dead-letter reason. */
function toAmqp(m: BrokerMessage, entity: Entity): Message {
  const annotations: Record<string, unknown> = {
    'x-opt-sequence-number': rhea.types.wrap_long(m.sequenceNumber),
    'x-opt-enqueued-time': m.enqueuedAt,
    'x-opt-message-state': rhea.types.wrap_int(
      m.deferred ? 1 : m.scheduledAt && m.scheduledAt.getTime() > Date.now() ? 2 : 0,
    ),
  };
  if (m.lockedUntil) annotations['x-opt-locked-until'] = m.lockedUntil;
  if (m.scheduledAt) annotations['x-opt-scheduled-enqueue-time'] = m.scheduledAt;
  if (entity.sub === 'deadLetter') annotations['x-opt-deadletter-source'] = entity.queue;
  const applicationProperties: Record<string, unknown> = { ...m.applicationProperties };
  if (m.deadLetterReason !== undefined && entity.sub === 'deadLetter')
    applicationProperties.DeadLetterReason = m.deadLetterReason;
  if (m.deadLetterErrorDescription !== undefined && entity.sub === 'deadLetter')
    applicationProperties.DeadLetterErrorDescription = m.deadLetterErrorDescription;
  return {
    message_id: m.messageId,
    ...(m.sessionId ? { group_id: m.sessionId } : {}),
    ...(m.correlationId ? { correlation_id: m.correlationId } : {}),
    ...(m.subject ? { subject: m.subject } : {}),
    ...(m.contentType ? { content_type: m.contentType } : {}),
    delivery_count: m.deliveryCount,
    application_properties: applicationProperties,
    message_annotations: annotations,
    body: rhea.message.data_section(Buffer.from(JSON.stringify(m.body ?? null), 'utf8')),
  } as Message;
}

/**
 * The SDK sends several messages as one batch delivery (format 0x80013700) whose data sections are encoded messages.
 */
function unbatch(message: Message, format: number | undefined): Message[] {
  if (format !== 0x80013700) return [message];
  // rhea leaves a non-standard format undecoded: the delivery payload arrives as raw bytes.
  const outer = Buffer.isBuffer(message)
    ? (rhea.message.decode(message as unknown as Buffer) as unknown as Message)
    : message;
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
