import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cosmosInsightsRepository } from '../../shared/insights/insights-repository.js';
import { cosmosThreadRepository, threadId } from '../../shared/insights/thread-repository.js';
import { CosmosStore } from '../../shared/platform/cosmos.js';
import { CorruptDocumentError } from '../../shared/platform/repository.js';

const day = (tenantId: string, d: string) => ({
  id: `day:${d}:instagram`,
  tenantId,
  type: 'insights-day' as const,
  day: d,
  platform: 'instagram' as const,
  counts: { messagesIn: 2 },
  applied: [],
});

describe('InsightsRepository and ThreadRepository on the embedded Cosmos server', () => {
  const store = new CosmosStore({
    endpoint: inject('cosmosEndpoint'),
    key: inject('cosmosKey'),
    database: `insights-repo-${randomUUID().slice(0, 8)}`,
  });
  const insights = cosmosInsightsRepository(store);
  const threads = cosmosThreadRepository(store);
  beforeAll(() => store.ensure());
  afterAll(() => store.dispose());

  it('reads day counters of one tenant and one range, and updates them under the etag', async () => {
    expect(await insights.createDay(day('tenant-a', '2026-11-30'))).toBe(true);
    expect(await insights.createDay(day('tenant-a', '2026-11-30'))).toBe(false);
    await insights.createDay(day('tenant-b', '2026-11-30'));
    await insights.updateDay('tenant-a', 'day:2026-11-30:instagram', (d) => ({ ...d, counts: { messagesIn: 3 } }));
    expect(await insights.readDays('tenant-a', '2026-11-01', '2026-11-30')).toEqual([
      { day: '2026-11-30', platform: 'instagram', counts: { messagesIn: 3 } },
    ]);
    expect(await insights.readDays('tenant-a', '2026-12-01', '2026-12-31')).toEqual([]);
    expect(await insights.getGap('tenant-a', 'day:2026-11-30:instagram')).toBeUndefined();
  });

  it('refuses corrupt stored documents with CorruptDocumentError', async () => {
    await store.container('insights').items.upsert({ id: 'gap_bad', tenantId: 'tenant-c', type: 'insights-gap' });
    await expect(insights.getGap('tenant-c', 'gap_bad')).rejects.toBeInstanceOf(CorruptDocumentError);
    await expect(insights.listGaps('tenant-c')).rejects.toBeInstanceOf(CorruptDocumentError);
    await store
      .container('insightThreads')
      .items.upsert({ id: threadId('cv_bad'), tenantId: 'tenant-c', type: 'insights-thread', settleAt: 1 });
    await expect(threads.due(10, 'tenant-c')).rejects.toBeInstanceOf(CorruptDocumentError);
    await store.container('insightThreads').item(threadId('cv_bad'), 'tenant-c').delete();
  });

  it('forgetTenant removes only that tenant’s counters and trackers', async () => {
    for (const tenantId of ['tenant-a', 'tenant-b'])
      await threads.create({
        id: threadId('cv_1'),
        tenantId,
        type: 'insights-thread',
        conversationId: 'cv_1',
        platform: 'instagram',
        state: {},
        settleAt: 5,
        applied: [],
        pending: [],
      });
    expect(await threads.due(10)).toHaveLength(2);
    expect(await insights.forgetTenant('tenant-a')).toBe(1);
    expect(await threads.forgetTenant('tenant-a')).toBe(1);
    expect(await insights.readDays('tenant-a', '2026-11-01', '2026-11-30')).toEqual([]);
    expect(await insights.readDays('tenant-b', '2026-11-01', '2026-11-30')).toHaveLength(1);
    expect(await threads.due(10, 'tenant-b')).toHaveLength(1);
    expect(await threads.forgetSubject('tenant-b', 'cv_1')).toBe(1);
    expect(await threads.forgetSubject('tenant-b', 'cv_1')).toBe(0);
  });
});
