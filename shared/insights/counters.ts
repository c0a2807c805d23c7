import { createHash } from 'node:crypto';
import { getTenant } from '../accounts/index.js';
import { tenantOpeningHours } from '../knowledge/index.js';
import type { Platform } from '../platform/ids.js';
import type { Runtime } from '../platform/runtime.js';
import type { DayFigures, PendingDelta, ThreadDoc } from './insights-documents.js';
import { cosmosInsightsRepository, type InsightsRepository } from './insights-repository.js';
import { addCounts, applyEvent, type InsightEvent, type Rules, rulesOf } from './metrics.js';
import { cosmosThreadRepository, type ThreadRepository, threadId } from './thread-repository.js';

/**
 * Stored counters, updated as events happen and exactly once per event under redelivery.
 *
 * Each thread has a tracker document holding its open episode, the keys of the events already
 * applied, and an outbox of counter increments not yet added to the day documents. Applying an
 * event is one etag-guarded write of the tracker (state, key and increments together). The
 * increments are then added to each day document, again under its etag, together with the
 * increment's key, so a crash between the two steps and any redelivery add nothing twice.
 */

/** Events a thread remembers; more than any redelivery window can bring back. */
const APPLIED_KEEP = 2000;

export type { DayDoc, ThreadDoc } from './insights-documents.js';
export { threadId } from './thread-repository.js';
export const dayId = (day: string, platform: Platform) => `day:${day}:${platform}`;
export const shortKey = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 16);

/** The two insights containers, as the counters use them. */
export interface InsightsStores {
  insights: InsightsRepository;
  threads: ThreadRepository;
}

export function insightsStores(rt: Pick<Runtime, 'cosmos'>): InsightsStores {
  return { insights: cosmosInsightsRepository(rt.cosmos), threads: cosmosThreadRepository(rt.cosmos) };
}

export interface ThreadRef {
  tenantId: string;
  conversationId: string;
  platform: Platform;
}

/** Applies events to a thread's counters, once each, in the order given. */
export async function recordEvents(
  rt: Runtime,
  ref: ThreadRef,
  events: InsightEvent[],
  known?: { rules?: Rules },
): Promise<void> {
  if (events.length === 0) return;
  const rules = known?.rules ?? (await tenantRules(rt, ref.tenantId));
  if (!rules) return;
  await applyEvents(insightsStores(rt), ref, events, rules);
}

/** The same with the tenant's rules known: the tracker takes the events and its outbox goes to the day counters. */
export async function applyEvents(
  stores: InsightsStores,
  ref: ThreadRef,
  events: InsightEvent[],
  rules: Rules,
): Promise<void> {
  await stores.threads.create({
    id: threadId(ref.conversationId),
    tenantId: ref.tenantId,
    type: 'insights-thread',
    conversationId: ref.conversationId,
    platform: ref.platform,
    state: {},
    applied: [],
    pending: [],
  });
  const saved = await stores.threads.update(ref.tenantId, ref.conversationId, (doc) => {
    const fresh = events.filter((e) => !doc.applied.includes(shortKey(e.key)));
    if (fresh.length === 0) return undefined;
    return applyToThread(doc, fresh, rules);
  });
  if (saved && saved.pending.length > 0) await flushPending(stores, saved);
}

/** Pure: the thread after some events, with their increments in its outbox. */
export function applyToThread(doc: ThreadDoc, events: InsightEvent[], rules: Rules): ThreadDoc {
  let state = doc.state;
  const pending = [...doc.pending];
  const applied = [...doc.applied];
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    const result = applyEvent(state, event, rules);
    state = result.state;
    result.deltas.forEach((d, i) => {
      pending.push({ key: shortKey(`${doc.conversationId}|${event.key}|${i}`), day: d.day, counts: d.counts });
    });
    // Hashes, not the ids themselves: a message taken back leaves no id behind here.
    applied.push(shortKey(event.key));
  }
  return {
    ...doc,
    state,
    settleAt: state.episode ? state.episode.lastActivity + rules.windowMs : undefined,
    applied: applied.slice(-APPLIED_KEEP),
    pending,
  };
}

/** Adds a thread's pending increments to their day documents, then clears them from the outbox. */
export async function flushPending(stores: InsightsStores, thread: ThreadDoc): Promise<void> {
  const byDay = new Map<string, PendingDelta[]>();
  for (const p of thread.pending) byDay.set(p.day, [...(byDay.get(p.day) ?? []), p]);
  for (const [day, deltas] of byDay) {
    const id = dayId(day, thread.platform);
    await stores.insights.createDay({
      id,
      tenantId: thread.tenantId,
      type: 'insights-day',
      day,
      platform: thread.platform,
      counts: {},
      applied: [],
    });
    await stores.insights.updateDay(
      thread.tenantId,
      id,
      (doc) => {
        const fresh = deltas.filter((d) => !doc.applied.includes(shortKey(d.key)));
        if (fresh.length === 0) return undefined;
        const counts = { ...doc.counts };
        for (const d of fresh) addCounts(counts, d.counts);
        return { ...doc, counts, applied: [...doc.applied, ...fresh.map((d) => shortKey(d.key))] };
      },
      20,
    );
  }
  const done = new Set(thread.pending.map((p) => p.key));
  await stores.threads.update(thread.tenantId, thread.conversationId, (doc) =>
    doc.pending.some((p) => done.has(p.key))
      ? { ...doc, pending: doc.pending.filter((p) => !done.has(p.key)) }
      : undefined,
  );
}

/** The tenant's rules, with the opening hours of its profile when it states any. */
export async function tenantRules(rt: Runtime, tenantId: string): Promise<Rules | undefined> {
  const [tenant, hours] = await Promise.all([getTenant(rt, tenantId), tenantOpeningHours(rt, tenantId)]);
  return tenant ? rulesOf(tenant.bot, hours) : undefined;
}

/**
 * Settles the episodes whose window has passed by `now` (the hourly sweep, and before a digest).
 * One tenant, or all of them. Returns how many settled.
 */
export async function settleDue(rt: Runtime, tenantId?: string): Promise<number> {
  const now = rt.clock.now().getTime();
  const resources = await cosmosThreadRepository(rt.cosmos).due(now, tenantId);
  const rulesByTenant = new Map<string, Rules | undefined>();
  for (const t of resources) {
    if (!rulesByTenant.has(t.tenantId)) rulesByTenant.set(t.tenantId, await tenantRules(rt, t.tenantId));
    const rules = rulesByTenant.get(t.tenantId);
    if (!rules) continue;
    await recordEvents(rt, t, [{ kind: 'settle', key: `settle:${now}`, at: now }], { rules });
  }
  return resources.length;
}

/** Summed counters of a tenant for a range of local days, one platform or all. */
export function readDays(
  rt: Pick<Runtime, 'cosmos'>,
  tenantId: string,
  from: string,
  to: string,
  platform?: Platform,
): Promise<DayFigures[]> {
  return cosmosInsightsRepository(rt.cosmos).readDays(tenantId, from, to, platform);
}
