import { AmqpPeer } from '../local/bus/amqp-peer.js';
import { LocalBroker } from '../local/bus/broker.js';
import { BusPublisher } from '../shared/platform/bus.js';
import { type Figure, round } from './figures.js';

const COUNT = 2000;

async function drain(broker: LocalBroker, queue: string, send: () => Promise<void>): Promise<number> {
  let handled = 0;
  broker.subscribe(
    queue,
    async () => {
      handled++;
    },
    16,
  );
  const started = performance.now();
  await send();
  await broker.whenIdle();
  const seconds = (performance.now() - started) / 1000;
  if (handled !== COUNT) throw new Error(`expected ${COUNT} deliveries, got ${handled}`);
  return COUNT / seconds;
}

/** Messages per second through the real SDK and the AMQP peer, against enqueuing straight into the broker. */
export async function run(): Promise<Figure[]> {
  const broker = new LocalBroker();
  for (const name of ['direct', 'sdk']) {
    broker.declareQueue({ name, requiresSession: true, maxDeliveryCount: 10, duplicateDetectionWindowMs: 600_000 });
  }
  const peer = new AmqpPeer(broker);
  await peer.start();
  const publisher = new BusPublisher({ connectionString: peer.connectionString, timeoutMs: 10_000 });
  const message = (i: number) => ({
    body: { i, text: 'x'.repeat(200) },
    messageId: `m-${i}`,
    sessionId: `s-${i % 50}`,
  });

  const direct = await drain(broker, 'direct', async () => {
    for (let i = 0; i < COUNT; i++) {
      const m = message(i);
      broker.enqueue('direct', { ...m, applicationProperties: {} });
    }
  });
  const sdk = await drain(broker, 'sdk', async () => {
    const batch = 50;
    for (let i = 0; i < COUNT; i += batch) {
      await publisher.send(
        'sdk',
        Array.from({ length: batch }, (_, k) => message(i + k)),
      );
    }
  });
  await publisher.close();
  await peer.stop();
  broker.close();
  return [
    {
      name: 'local bus: SDK send to handler (batches of 50)',
      value: round(sdk, 0),
      unit: 'msg/s',
      baseline: { name: 'in-process enqueue', value: round(direct, 0) },
      ratio: round(sdk / direct, 3),
    },
  ];
}
