import { ServiceBusClient } from '@azure/service-bus';
import Long from 'long';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmqpPeer } from '../../local/bus/amqp-peer.js';
import { LocalBroker } from '../../local/bus/broker.js';
import { ServiceBusDeadLetters } from '../../shared/platform/dead-letters.js';

/**
 * The Azure dead-letter path (ServiceBusDeadLetters) through the real @azure/service-bus SDK,
 * against the local AMQP peer: receiver links, settlements and $management operations.
 */
describe('dead letters through the Service Bus SDK', () => {
  const broker = new LocalBroker();
  const peer = new AmqpPeer(broker);
  let client: ServiceBusClient;

  beforeAll(async () => {
    for (const name of ['dlq-200', 'settle', 'sessions-dlq']) {
      broker.declareQueue({
        name,
        requiresSession: name === 'sessions-dlq',
        maxDeliveryCount: 3,
        duplicateDetectionWindowMs: 60_000,
      });
    }
    await peer.start();
    client = new ServiceBusClient(peer.connectionString);
  });
  afterAll(async () => {
    await client?.close();
    await peer.stop();
    broker.close();
  });

  /** Sends `count` messages and dead-letters each through a peek-lock receiver, with its own reason. */
  async function deadLetter(queue: string, count: number, extra: Record<string, unknown> = {}): Promise<void> {
    const sender = client.createSender(queue);
    for (let start = 0; start < count; start += 50) {
      const batch = Array.from({ length: Math.min(50, count - start) }, (_, i) => ({
        body: { n: start + i },
        messageId: `m-${start + i}`,
        applicationProperties: { kind: 'test' },
        ...extra,
      }));
      await sender.sendMessages(batch);
    }
    await sender.close();
    const receiver = client.createReceiver(queue, { receiveMode: 'peekLock' });
    let done = 0;
    while (done < count) {
      const messages = await receiver.receiveMessages(50, { maxWaitTimeInMs: 2000 });
      expect(messages.length).toBeGreaterThan(0);
      for (const m of messages)
        await receiver.deadLetterMessage(m, {
          deadLetterReason: 'SchemaInvalid',
          deadLetterErrorDescription: `bad message ${(m.body as { n: number }).n}`,
        });
      done += messages.length;
    }
    await receiver.close();
  }

  it('replays the 180th of 200 dead letters: exactly that message, once, and the other 199 stay', async () => {
    await deadLetter('dlq-200', 200);
    const store = new ServiceBusDeadLetters(client);
    const listed = await store.list('dlq-200', 500);
    expect(listed).toHaveLength(200);
    expect(listed[0]).toMatchObject({
      queue: 'dlq-200',
      messageId: 'm-0',
      reason: 'SchemaInvalid',
      description: 'bad message 0',
    });
    const target = listed[179];
    expect(target?.messageId).toBe('m-179');

    expect(await store.replay('dlq-200', target?.sequenceNumber as number)).toBe(true);

    // The queue itself holds exactly the replayed copy, with a new MessageId and the original body.
    const active = client.createReceiver('dlq-200', { receiveMode: 'receiveAndDelete' });
    const replayed = await active.receiveMessages(500, { maxWaitTimeInMs: 1000 });
    expect(replayed).toHaveLength(1);
    expect(replayed[0]?.body).toEqual({ n: 179 });
    expect(replayed[0]?.messageId).toMatch(/^m-179:replay:/);
    expect(replayed[0]?.applicationProperties).toEqual({ kind: 'test' });

    const after = await store.list('dlq-200', 500);
    expect(after).toHaveLength(199);
    expect(after.map((d) => d.messageId)).toEqual(
      listed.filter((d) => d.messageId !== 'm-179').map((d) => d.messageId),
    );
    expect(after.every((d) => d.reason === 'SchemaInvalid')).toBe(true);

    // Once: the same sequence number again finds nothing and sends nothing.
    expect(await store.replay('dlq-200', target?.sequenceNumber as number)).toBe(false);
    expect(await active.receiveMessages(10, { maxWaitTimeInMs: 500 })).toHaveLength(0);

    // A message the walk passed (now deferred in the DLQ) is taken by its number; one behind the target by walking.
    expect(await store.replay('dlq-200', listed[9]?.sequenceNumber as number)).toBe(true);
    expect(await store.discard('dlq-200', listed[199]?.sequenceNumber as number)).toBe(true);
    const second = await active.receiveMessages(10, { maxWaitTimeInMs: 1000 });
    expect(second.map((m) => m.body)).toEqual([{ n: 9 }]);
    expect((await store.list('dlq-200', 500)).map((d) => d.messageId)).toEqual(
      after.map((d) => d.messageId).filter((id) => id !== 'm-9' && id !== 'm-199'),
    );
    await active.close();
  });

  it('replays a dead letter of a session queue into its session', async () => {
    await deadLetter('sessions-dlq', 3, { sessionId: 'conv-1' });
    const store = new ServiceBusDeadLetters(client);
    const [first] = await store.list('sessions-dlq', 10);
    expect(await store.replay('sessions-dlq', first?.sequenceNumber as number)).toBe(true);
    // The local host's triggers take session messages from the broker itself; it shows where the replay went.
    expect(broker.peek('sessions-dlq', 'active', 0, 10).map((m) => [m.sessionId, m.body])).toEqual([
      ['conv-1', { n: 0 }],
    ]);
  });

  it('settles through the SDK as Service Bus does: abandon counts deliveries, defer parks, complete removes, lock renewal extends', async () => {
    const sender = client.createSender('settle');
    await sender.sendMessages([
      { body: 'a', messageId: 'a' },
      { body: 'b', messageId: 'b' },
    ]);
    const receiver = client.createReceiver('settle', { receiveMode: 'peekLock' });

    // Abandoned three times (maxDeliveryCount 3): dead-lettered with the broker's reason.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
      expect(m?.body).toBe('a');
      expect(m?.deliveryCount).toBe(attempt);
      await receiver.abandonMessage(m as never);
    }
    const dlq = client.createReceiver('settle', { subQueueType: 'deadLetter', receiveMode: 'receiveAndDelete' });
    const [dead] = await dlq.peekMessages(5, { fromSequenceNumber: Long.fromNumber(0) });
    expect(dead).toMatchObject({ body: 'a', deadLetterReason: 'MaxDeliveryCountExceeded', deadLetterSource: 'settle' });

    // Deferred: no longer received, still peeked, then taken by number and completed.
    const [b] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    const until = await receiver.renewMessageLock(b as never);
    expect(until.getTime()).toBeGreaterThan(Date.now());
    await receiver.deferMessage(b as never);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toHaveLength(0);
    const [peeked] = await receiver.peekMessages(1, { fromSequenceNumber: Long.fromNumber(0) });
    expect(peeked).toMatchObject({ body: 'b', state: 'deferred' });
    const [again] = await receiver.receiveDeferredMessages(peeked?.sequenceNumber as Long);
    await receiver.completeMessage(again as never);
    await expect(receiver.completeMessage(again as never)).rejects.toThrow();
    expect(await receiver.peekMessages(5, { fromSequenceNumber: Long.fromNumber(0) })).toHaveLength(0);

    // Receive-and-delete on the DLQ removes without a settlement.
    expect((await dlq.receiveMessages(5, { maxWaitTimeInMs: 1000 })).map((m) => m.body)).toEqual(['a']);
    expect(broker.depth('settle').deadLetters).toBe(0);
    await Promise.all([receiver.close(), dlq.close(), sender.close()]);
  });
});
