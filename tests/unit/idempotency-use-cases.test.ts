import { describe, expect, it } from 'vitest';
import { once, sealingKey } from '../../shared/platform/idempotency.js';
import { memoryIdempotencyRepository } from '../../shared/platform/idempotency-repository.js';
import { HttpProblem } from '../../shared/platform/problem.js';

const now = new Date('2026-03-01T10:00:00Z');
const record = (scope: string, id = `idem_${scope}`) => ({ id, scope, sealKey: sealingKey(scope, 'r', 'k') });

describe('idempotent requests on a memory repository', () => {
  it('runs once, replays the first answer, refuses the key for another request, and retries after a failure', async () => {
    const records = memoryIdempotencyRepository();
    let runs = 0;
    const run = async () => ({ status: 201, body: { n: ++runs } });
    expect(await once(records, record('tn_a'), 'h1', now, run)).toEqual({ status: 201, body: { n: 1 } });
    expect(await once(records, record('tn_a'), 'h1', now, run)).toEqual({
      status: 201,
      body: { n: 1 },
      headers: { 'idempotency-replayed': 'true' },
    });
    const reused = await once(records, record('tn_a'), 'h2', now, run).catch((e) => e);
    expect(reused).toBeInstanceOf(HttpProblem);
    expect(reused.status).toBe(422);

    await expect(
      once(records, record('tn_b'), 'h1', now, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await records.get('idem_tn_b')).toBeUndefined();
    expect(await once(records, record('tn_b'), 'h1', now, run)).toEqual({ status: 201, body: { n: 2 } });
  });

  it('forgets one scope’s records and no other’s', async () => {
    const records = memoryIdempotencyRepository();
    const run = async () => ({ status: 200 });
    await once(records, record('tn_a', 'idem_1'), 'h', now, run);
    await once(records, record('tn_a', 'idem_2'), 'h', now, run);
    await once(records, record('tn_b', 'idem_3'), 'h', now, run);
    expect(await records.forgetTenant('tn_a')).toBe(2);
    expect(await records.get('idem_1')).toBeUndefined();
    expect((await records.get('idem_3'))?.scope).toBe('tn_b');
  });
});
