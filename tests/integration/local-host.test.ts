import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { FIXTURE_QUEUES } from '../fixtures/host-app/queues.js';
import { recorder, resetRecorder } from '../fixtures/host-app/recorder.js';
import { startTestHost } from '../helpers/host.js';

const functionsDir = new URL('../fixtures/host-app/', import.meta.url);

describe('local host', () => {
  let host: LocalHost;

  beforeAll(async () => {
    host = await startTestHost({
      functionsDir,
      queues: FIXTURE_QUEUES,
      runTimers: true,
      values: { FIXTURE_NIGHTLY_SCHEDULE: '0 30 2 * * *' },
    });
  });
  afterAll(async () => host?.stop());
  beforeEach(() => resetRecorder());

  it('captures the registrations @azure/functions makes, from the folder it loads only', () => {
    const names = host.functions.map((f) => f.name).sort();
    expect(names).toEqual([
      'fixture-every-second',
      'fixture-items',
      'fixture-items-list',
      'fixture-nightly',
      'fixture-plain-worker',
      'fixture-session-worker',
    ]);
    const worker = host.functions.find((f) => f.name === 'fixture-session-worker');
    expect(worker?.trigger).toMatchObject({
      type: 'serviceBusTrigger',
      queueName: 'fixture-sessions',
      isSessionsEnabled: true,
    });
  });

  it('serves an HTTP function at its route with its methods', async () => {
    const get = await fetch(`${host.url}/api/items/42?q=hello`);
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ id: '42', method: 'GET', q: 'hello', body: null });

    const put = await fetch(`${host.url}/api/items/7`, { method: 'PUT', body: 'payload' });
    expect(await put.json()).toMatchObject({ id: '7', method: 'PUT', body: 'payload' });

    const list = await fetch(`${host.url}/api/items`);
    expect(await list.json()).toEqual({ list: true });

    const wrongMethod = await fetch(`${host.url}/api/items/42`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(404);
    const unknown = await fetch(`${host.url}/api/nothing-here`);
    expect(unknown.status).toBe(404);
  });

  it('handles one session one message at a time, in order, while sessions run in parallel', async () => {
    const messages = [];
    for (let n = 0; n < 6; n++) {
      for (const session of ['a', 'b']) {
        messages.push({ body: { n, delayMs: 15 }, messageId: `${session}-${n}`, sessionId: session });
      }
    }
    await host.runtime.bus.send('fixture-sessions', messages);
    await host.broker.whenIdle();

    const done = recorder().events.filter((e) => e.kind === 'sessions:done');
    for (const session of ['a', 'b']) {
      expect(done.filter((e) => e.data.session === session).map((e) => e.data.n)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(recorder().maxActive.get(session)).toBe(1);
    }
    // Parallel: session b started before session a finished.
    const starts = recorder().events.filter((e) => e.kind === 'sessions:start');
    const lastDoneA = Math.max(...done.filter((e) => e.data.session === 'a').map((e) => e.at));
    const firstStartB = Math.min(...starts.filter((e) => e.data.session === 'b').map((e) => e.at));
    expect(firstStartB).toBeLessThan(lastDoneA);
  });

  it('drops a duplicate MessageId inside the detection window', async () => {
    await host.runtime.bus.send('fixture-plain', { body: { n: 1 }, messageId: 'dup-1' });
    await host.runtime.bus.send('fixture-plain', { body: { n: 2 }, messageId: 'dup-1' });
    await host.runtime.bus.send('fixture-plain', { body: { n: 3 }, messageId: 'dup-2' });
    await host.broker.whenIdle();
    const done = recorder()
      .events.filter((e) => e.kind === 'plain:done')
      .map((e) => e.data.n);
    expect(done.sort()).toEqual([1, 3]);
  });

  it('retries a failing handler, then dead-letters it after maxDeliveryCount with the reason kept', async () => {
    recorder().failUntil.set('flaky', 2);
    recorder().failUntil.set('poison', 99);
    await host.runtime.bus.send('fixture-plain', [
      { body: { n: 1, key: 'flaky' }, messageId: 'flaky-1' },
      { body: { n: 2, key: 'poison' }, messageId: 'poison-1' },
    ]);
    await host.broker.whenIdle();

    const starts = recorder().events.filter((e) => e.kind === 'plain:start');
    expect(
      starts.filter((e) => e.data.key === 'flaky').map((e) => (e.data.meta as { deliveryCount: number }).deliveryCount),
    ).toEqual([1, 2, 3]);
    expect(recorder().events.some((e) => e.kind === 'plain:done' && e.data.key === 'flaky')).toBe(true);

    expect(starts.filter((e) => e.data.key === 'poison')).toHaveLength(3);
    const [dead] = host.broker.deadLetters('fixture-plain');
    expect(dead).toMatchObject({
      messageId: 'poison-1',
      deliveryCount: 3,
      deadLetterReason: 'MaxDeliveryCountExceeded',
      deadLetterErrorDescription: 'Error: fixture failure for poison',
    });
  });

  it('keeps a failing message in its session ahead of the ones behind it', async () => {
    recorder().failUntil.set('first', 1);
    await host.runtime.bus.send('fixture-sessions', [
      { body: { n: 1, key: 'first' }, messageId: 'order-1', sessionId: 'c' },
      { body: { n: 2 }, messageId: 'order-2', sessionId: 'c' },
    ]);
    await host.broker.whenIdle();
    const done = recorder()
      .events.filter((e) => e.kind === 'sessions:done' && e.data.session === 'c')
      .map((e) => e.data.n);
    expect(done).toEqual([1, 2]);
  });

  it('holds a scheduled message until its time', async () => {
    const sentAt = Date.now();
    await host.runtime.bus.send('fixture-plain', {
      body: { n: 9 },
      messageId: 'later-1',
      scheduledAt: new Date(sentAt + 400),
    });
    expect(host.broker.depth('fixture-plain').scheduled).toBe(1);
    await host.broker.whenIdle();
    const done = recorder().events.find((e) => e.kind === 'plain:done' && e.data.n === 9);
    expect(done?.at).toBeGreaterThanOrEqual(sentAt + 390);
  });

  it('fires a timer on its NCRONTAB schedule and resolves %SETTING% schedules', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2200));
    expect(recorder().events.filter((e) => e.kind === 'timer').length).toBeGreaterThanOrEqual(1);
    const next = host.nextTimerRun('fixture-nightly');
    expect(next?.getUTCHours()).toBe(2);
    expect(next?.getUTCMinutes()).toBe(30);
    await host.fireTimer('fixture-nightly');
    expect(recorder().events.some((e) => e.kind === 'nightly')).toBe(true);
  });
});
