import { createHash } from 'node:crypto';
import { tenantRepositoryOf } from '../accounts/index.js';
import {
  type ConversationDoc,
  conversationRepository,
  type MessageDoc,
  messageRepository,
} from '../conversations/index.js';
import type { Platform } from '../platform/ids.js';
import type { Runtime } from '../platform/runtime.js';
import {
  applyToThread,
  type DayDoc,
  dayId,
  insightsStores,
  type ThreadDoc,
  tenantRules,
  threadId,
} from './counters.js';
import { eventsOfMessage, eventsOfTransition } from './events.js';
import { addCounts, type InsightEvent, type Rules } from './metrics.js';

/**
 * Recomputes a tenant's counters from what is stored: every conversation's transitions and every
 * message, replayed through the same rules as the live path, then settled at the clock's now.
 */

type StoredConversation = Pick<ConversationDoc, 'id' | 'platform' | 'transitions'>;
type StoredMessage = Pick<
  MessageDoc,
  'id' | 'conversationId' | 'direction' | 'author' | 'status' | 'timestamp' | 'outbound'
> & { lineage?: { handoffReason?: string } };

const shortKey = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 16);

/** Reads what the figures are made of, with only the fields they need. */
export async function readStored(
  rt: Runtime,
  tenantId: string,
): Promise<{ conversations: StoredConversation[]; messages: StoredMessage[] }> {
  const [conversations, messages] = await Promise.all([
    conversationRepository(rt).histories(tenantId),
    messageRepository(rt).figures(tenantId),
  ]);
  return {
    conversations,
    messages: messages.map((m) => {
      const { handoffReason, ...rest } = m as StoredMessage & { handoffReason?: string };
      return handoffReason ? { ...rest, lineage: { handoffReason } } : rest;
    }),
  };
}

/** Pure: thread and day documents from stored data, as the live path would have left them. */
export function replay(
  tenantId: string,
  stored: { conversations: StoredConversation[]; messages: StoredMessage[] },
  rules: Rules,
  now: Date,
): { threads: ThreadDoc[]; days: DayDoc[] } {
  const byConversation = new Map<string, InsightEvent[]>();
  for (const m of stored.messages) {
    const events = eventsOfMessage(m as MessageDoc);
    if (events.length)
      byConversation.set(m.conversationId, [...(byConversation.get(m.conversationId) ?? []), ...events]);
  }
  const days = new Map<string, DayDoc>();
  const threads: ThreadDoc[] = [];
  const settle: InsightEvent = { kind: 'settle', key: `settle:${now.getTime()}`, at: now.getTime() };
  for (const c of stored.conversations) {
    const events = [...(byConversation.get(c.id) ?? []), ...c.transitions.flatMap(eventsOfTransition)];
    const empty: ThreadDoc = {
      id: threadId(c.id),
      tenantId,
      type: 'insights-thread',
      conversationId: c.id,
      platform: c.platform,
      state: {},
      applied: [],
      pending: [],
    };
    const thread = applyToThread(empty, [...events.sort((a, b) => a.at - b.at), settle], rules);
    for (const p of thread.pending) {
      const id = dayId(p.day, c.platform);
      const day = days.get(id) ?? {
        id,
        tenantId,
        type: 'insights-day' as const,
        day: p.day,
        platform: c.platform as Platform,
        counts: {},
        applied: [],
      };
      addCounts(day.counts, p.counts);
      day.applied.push(shortKey(p.key));
      days.set(id, day);
    }
    threads.push({ ...thread, pending: [] });
  }
  return { threads, days: [...days.values()] };
}

export interface Mismatch {
  id: string;
  counter: string;
  stored: number;
  rebuilt: number;
}

/** Pure: every counter that differs between stored and rebuilt day documents. */
export function compareDays(
  stored: Array<Pick<DayDoc, 'id' | 'counts'>>,
  rebuilt: Array<Pick<DayDoc, 'id' | 'counts'>>,
): Mismatch[] {
  const out: Mismatch[] = [];
  const a = new Map(stored.map((d) => [d.id, d.counts]));
  const b = new Map(rebuilt.map((d) => [d.id, d.counts]));
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(id) ?? {};
    const y = b.get(id) ?? {};
    for (const counter of new Set([...Object.keys(x), ...Object.keys(y)])) {
      if ((x[counter] ?? 0) !== (y[counter] ?? 0))
        out.push({ id, counter, stored: x[counter] ?? 0, rebuilt: y[counter] ?? 0 });
    }
  }
  return out.sort((p, q) => p.id.localeCompare(q.id) || p.counter.localeCompare(q.counter));
}

export interface RebuildReport {
  tenantId: string;
  conversations: number;
  messages: number;
  days: number;
  mismatches: Mismatch[];
  written: boolean;
}

/** Runs fn over items with at most `limit` at a time (the embedded Cosmos server is slow one by one). */
export async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/**
 * Settles what is due, recomputes, and compares with the stored counters. With `write`, the stored
 * counters and trackers are replaced by the recomputed ones (and stale day documents removed).
 */
export async function rebuildTenant(
  rt: Runtime,
  tenantId: string,
  options: { write: boolean },
): Promise<RebuildReport> {
  const rules = await tenantRules(rt, tenantId);
  if (!rules) return { tenantId, conversations: 0, messages: 0, days: 0, mismatches: [], written: false };
  const stored = await readStored(rt, tenantId);
  const { threads, days } = replay(tenantId, stored, rules, rt.clock.now());
  const stores = insightsStores(rt);
  const before = await stores.insights.dayCounts(tenantId);
  const mismatches = compareDays(before, days);
  if (options.write) {
    const keep = new Set(days.map((d) => d.id));
    await inParallel(threads, 16, (doc) => stores.threads.save(doc));
    await inParallel(days, 16, (doc) => stores.insights.saveDay(doc));
    await inParallel(
      before.filter((d) => !keep.has(d.id)),
      16,
      (d) => stores.insights.deleteDay(tenantId, d.id),
    );
  }
  return {
    tenantId,
    conversations: stored.conversations.length,
    messages: stored.messages.length,
    days: days.length,
    mismatches,
    written: options.write,
  };
}

/** Rebuilds one tenant, or every active tenant. */
export async function rebuildTenants(
  rt: Runtime,
  tenantId: string | undefined,
  options: { write: boolean },
): Promise<RebuildReport[]> {
  const tenants = tenantId ? [tenantId] : (await tenantRepositoryOf(rt).listActive()).map((t) => t.id);
  const reports = [];
  for (const t of tenants) reports.push(await rebuildTenant(rt, t, options));
  return reports;
}

/** Pure-ish baseline for the benchmark: the overview's counters computed by scanning stored data. */
export async function scanCounts(
  rt: Runtime,
  tenantId: string,
  range: { from: string; to: string },
  rules: Rules,
): Promise<Record<string, number>> {
  const { days } = replay(tenantId, await readStored(rt, tenantId), rules, rt.clock.now());
  const counts: Record<string, number> = {};
  for (const d of days) if (d.day >= range.from && d.day <= range.to) addCounts(counts, d.counts);
  return counts;
}
