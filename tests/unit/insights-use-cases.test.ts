import { describe, expect, it } from 'vitest';
import { defaultBotSettings } from '../../shared/accounts/bot-settings.js';
import { applyEvents, dayId, type InsightsStores } from '../../shared/insights/counters.js';
import type { GapDoc } from '../../shared/insights/insights-documents.js';
import { memoryInsightsRepository } from '../../shared/insights/insights-repository.js';
import { rulesOf } from '../../shared/insights/metrics.js';
import { resolveGap } from '../../shared/insights/resolve-gap.js';
import { readInsightSettings } from '../../shared/insights/settings.js';
import { memoryThreadRepository, threadId } from '../../shared/insights/thread-repository.js';
import { updateInsightSettings } from '../../shared/insights/update-settings.js';
import { ConflictError, NotFoundError } from '../../shared/platform/domain-errors.js';

const clock = { now: () => new Date('2026-12-01T10:00:00Z') };

function gap(tenantId: string, id: string, conversations: string[]): GapDoc {
  return {
    id,
    tenantId,
    type: 'insights-gap',
    status: 'open',
    terms: ['pret', 'vopsit'],
    count: conversations.length,
    firstAskedAt: '2026-11-30T10:00:00.000Z',
    lastAskedAt: '2026-11-30T12:00:00.000Z',
    reasons: { no_knowledge: conversations.length },
    samples: conversations.map((c, i) => ({
      key: `k${i}`,
      conversationId: c,
      contactId: `ct_${c}`,
      messageIds: [`m_${c}`],
      text: `Cât costă vopsitul? (${c})`,
      at: `2026-11-30T1${i}:00:00.000Z`,
    })),
    keys: conversations.map((_, i) => `k${i}`),
  };
}

function resolveDeps(insights = memoryInsightsRepository()) {
  const faqs: Array<{ id: string; question: string; answer: string }> = [];
  let n = 0;
  return {
    faqs,
    deps: {
      insights,
      clock,
      newEntryId: () => `kb_${++n}`,
      addFaq: async (id: string, faq: { question: string; answer: string }) => {
        faqs.push({ id, ...faq });
      },
    },
  };
}

describe('insights use-cases on the memory repositories', () => {
  it('resolves a gap once: the newest sample becomes the FAQ question, a second answer is a conflict', async () => {
    const { deps, faqs } = resolveDeps();
    await deps.insights.createGap(gap('tenant-a', 'gap_1', ['c1', 'c2']));
    const saved = await resolveGap(deps, 'tenant-a', 'owner-1', 'gap_1', { answer: '120 lei' });
    expect(saved).toMatchObject({ status: 'resolved', resolvedBy: 'owner-1', faqEntryId: 'kb_1' });
    expect(faqs).toEqual([{ id: 'kb_1', question: 'Cât costă vopsitul? (c2)', answer: '120 lei' }]);
    await expect(resolveGap(deps, 'tenant-a', 'owner-1', 'gap_1', { answer: 'again' })).rejects.toEqual(
      new ConflictError('This gap is already resolved.'),
    );
    expect(faqs).toHaveLength(1);
  });

  it('answers NotFoundError for an unknown id and for ids of documents that are not gaps', async () => {
    const { deps } = resolveDeps();
    await updateInsightSettings({ ...deps, audit: async () => {} }, 'tenant-a', 'owner-1', false);
    await expect(resolveGap(deps, 'tenant-a', 'o', 'gap_none', { answer: 'x' })).rejects.toEqual(
      new NotFoundError('gap'),
    );
    await expect(resolveGap(deps, 'tenant-a', 'o', 'settings', { answer: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('cross-tenant: B cannot list, resolve or erase samples of A’s gaps, nor change A’s settings', async () => {
    const { deps, faqs } = resolveDeps();
    const insights = deps.insights;
    await insights.createGap(gap('tenant-a', 'gap_1', ['c1']));
    expect(await insights.listGaps('tenant-b')).toEqual([]);
    await expect(resolveGap(deps, 'tenant-b', 'owner-b', 'gap_1', { answer: 'x' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(faqs).toEqual([]);
    expect(await insights.forgetSubject('tenant-b', 'c1')).toBe(0);
    expect((await insights.getGap('tenant-a', 'gap_1'))?.samples).toHaveLength(1);
    await updateInsightSettings({ insights, clock, audit: async () => {} }, 'tenant-b', 'owner-b', false);
    expect(await readInsightSettings(insights, 'tenant-a')).toEqual({ weeklyDigest: true });
    expect(await readInsightSettings(insights, 'tenant-b')).toEqual({ weeklyDigest: false });
  });

  it('forgets one conversation’s samples, and the terms with the last one', async () => {
    const insights = memoryInsightsRepository();
    await insights.createGap(gap('tenant-a', 'gap_1', ['c1', 'c2']));
    expect(await insights.forgetSubject('tenant-a', 'c1')).toBe(1);
    expect((await insights.getGap('tenant-a', 'gap_1'))?.samples.map((s) => s.conversationId)).toEqual(['c2']);
    expect(await insights.forgetSubject('tenant-a', 'c2', 'm_c2')).toBe(1);
    const left = await insights.getGap('tenant-a', 'gap_1');
    expect(left).toMatchObject({ samples: [], terms: [], count: 2 });
  });

  it('counts each event once however often it is applied, and B sees none of A’s counters', async () => {
    const stores: InsightsStores = { insights: memoryInsightsRepository(), threads: memoryThreadRepository() };
    const rules = rulesOf({ ...defaultBotSettings(), timeZone: 'UTC' });
    const ref = { tenantId: 'tenant-a', conversationId: 'cv_1', platform: 'instagram' as const };
    const at = Date.parse('2026-11-30T10:00:00Z');
    const events = [{ kind: 'in' as const, key: 'm1', at }];
    await applyEvents(stores, ref, events, rules);
    await applyEvents(stores, ref, events, rules);
    const days = await stores.insights.readDays('tenant-a', '2026-11-30', '2026-11-30');
    expect(days).toHaveLength(1);
    const first = days[0]?.counts;
    await applyEvents(stores, ref, events, rules);
    expect((await stores.insights.readDays('tenant-a', '2026-11-30', '2026-11-30'))[0]?.counts).toEqual(first);
    expect(await stores.insights.readDays('tenant-b', '2026-11-30', '2026-11-30')).toEqual([]);
    expect(await stores.insights.dayCounts('tenant-a')).toEqual([
      { id: dayId('2026-11-30', 'instagram'), counts: first },
    ]);
    // B deleting "its" tracker of the same conversation id leaves A's alone.
    expect(await stores.threads.forgetSubject('tenant-b', 'cv_1')).toBe(0);
    expect(await stores.threads.due(Number.MAX_SAFE_INTEGER, 'tenant-a')).toEqual([
      { id: threadId('cv_1'), tenantId: 'tenant-a', conversationId: 'cv_1', platform: 'instagram' },
    ]);
    expect(await stores.threads.forgetTenant('tenant-a')).toBe(1);
    expect(await stores.insights.forgetTenant('tenant-b')).toBe(0);
    expect(await stores.insights.forgetTenant('tenant-a')).toBe(1);
  });
});
