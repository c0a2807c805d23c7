import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmqpPeer } from '../../local/bus/amqp-peer.js';
import { LocalBroker } from '../../local/bus/broker.js';
import { BusPublisher, BusSendError } from '../../shared/platform/bus.js';
import { withLogContext } from '../../shared/platform/log.js';

describe('bus publisher through the real SDK and the local AMQP peer', () => {
  const broker = new LocalBroker();
  const peer = new AmqpPeer(broker);
  let publisher: BusPublisher;

  beforeAll(async () => {
    broker.declareQueue({
      name: 'events',
      requiresSession: true,
      maxDeliveryCount: 5,
      duplicateDetectionWindowMs: 60_000,
    });
    await peer.start();
    publisher = new BusPublisher({ connectionString: peer.connectionString, timeoutMs: 5000 });
  });
  afterAll(async () => {
    await publisher.close();
    await peer.stop();
    broker.close();
  });

  it('delivers MessageId, SessionId, body, correlation and application properties as sent', async () => {
    await withLogContext({ correlationId: 'corr-42' }, () =>
      publisher.send('events', {
        body: { text: 'Bună ziua ✂️' },
        messageId: 'mid.1',
        sessionId: 'page:1:user:2',
        subject: 'message',
        applicationProperties: { tenantId: 't1', attempt: 2 },
      }),
    );
    let received: unknown;
    broker.subscribe(
      'events',
      async (m) => {
        received = m;
      },
      1,
    );
    await broker.whenIdle();
    expect(received).toMatchObject({
      messageId: 'mid.1',
      sessionId: 'page:1:user:2',
      correlationId: 'corr-42',
      subject: 'message',
      applicationProperties: { tenantId: 't1', attempt: 2 },
      body: { text: 'Bună ziua ✂️' },
    });
  });

  it('schedules through $management and keeps the scheduled time', async () => {
    const at = new Date(Date.now() + 60_000);
    await publisher.send('events', { body: { n: 1 }, messageId: 'sched-1', sessionId: 's', scheduledAt: at });
    expect(broker.depth('events').scheduled).toBe(1);
    const sequence = (
      broker as unknown as { queues: Map<string, { scheduled: Array<{ scheduledAt: Date; messageId: string }> }> }
    ).queues.get('events')?.scheduled[0];
    expect(sequence?.messageId).toBe('sched-1');
    expect(Math.abs((sequence?.scheduledAt.getTime() ?? 0) - at.getTime())).toBeLessThan(1000);
  });

  it('fails clearly for a queue that does not exist', async () => {
    await expect(publisher.send('nope', { body: 1, messageId: 'x' })).rejects.toThrowError(
      /Could not send to queue "nope": MessagingEntityNotFound/,
    );
  });

  it('fails clearly, never silently, when the peer is unreachable', async () => {
    const dead = new BusPublisher({
      connectionString: 'Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=l;SharedAccessKey=l;UseDevelopmentEmulator=true',
      timeoutMs: 3000,
    });
    const error = await dead.send('events', { body: 1, messageId: 'y', sessionId: 's' }).catch((e: unknown) => e);
    await dead.close();
    expect(error).toBeInstanceOf(BusSendError);
    expect((error as Error).message).toMatch(/Could not send to queue "events"/);
  });
});
