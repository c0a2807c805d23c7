import { getTenant } from '../accounts/index.js';
import { quotaState } from '../billing/index.js';
import { InvalidInputError } from '../platform/domain-errors.js';
import type { Platform } from '../platform/ids.js';
import type { Runtime } from '../platform/runtime.js';
import { readDays } from './counters.js';
import { addDays, daysBetween, localDay, safeZone } from './local-time.js';
import { addCounts, type Figures, figuresOf } from './metrics.js';

/** A range of the tenant's local days, inclusive, and an optional channel. */
export interface RangeQuery {
  from?: string;
  to?: string;
  channel?: Platform;
}

export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

/** The range asked for, defaulting to the last 30 days up to today in the tenant's zone. */
export function resolveRange(
  q: RangeQuery,
  now: Date,
  timeZone: string,
): { from: string; to: string } | { error: string } {
  const to = q.to ?? localDay(now.getTime(), timeZone);
  const from = q.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to) return { error: '"from" must not be after "to".' };
  if (daysBetween(from, to).length > MAX_RANGE_DAYS || from < addDays(to, -(MAX_RANGE_DAYS - 1)))
    return { error: `A range covers at most ${MAX_RANGE_DAYS} days.` };
  return { from, to };
}

export interface Overview {
  from: string;
  to: string;
  timeZone: string;
  channel: Platform | 'all';
  figures: Figures;
  replies: { month: string; used: number; limit: number; plan: string; share: number };
}

/** The overview from the day counters: a handful of documents, whatever the number of conversations. */
export async function overview(
  rt: Runtime,
  tenantId: string,
  range: { from: string; to: string; channel?: Platform },
  timeZone: string,
): Promise<Overview> {
  const [days, quota] = await Promise.all([
    readDays(rt, tenantId, range.from, range.to, range.channel),
    quotaState(rt, tenantId),
  ]);
  const counts: Record<string, number> = {};
  for (const d of days) addCounts(counts, d.counts);
  return {
    from: range.from,
    to: range.to,
    timeZone,
    channel: range.channel ?? 'all',
    figures: figuresOf(counts),
    replies: {
      month: rt.clock.now().toISOString().slice(0, 7),
      used: quota.used,
      limit: quota.limit,
      plan: quota.plan,
      share: quota.limit > 0 ? quota.used / quota.limit : 0,
    },
  };
}

export interface DayFigures {
  day: string;
  conversationsStarted: number;
  messagesIn: number;
  messagesOut: number;
  resolved: number;
  unresolved: number;
  handoffs: number;
  handoffsByReason: Record<string, number>;
  botFirstResponseAvgMs: number | null;
  humanFirstResponseAvgMs: number | null;
}

/** One entry per day of the range, zeros where nothing happened. */
export async function timeseries(
  rt: Runtime,
  tenantId: string,
  range: { from: string; to: string; channel?: Platform },
): Promise<DayFigures[]> {
  const docs = await readDays(rt, tenantId, range.from, range.to, range.channel);
  const byDay = new Map<string, Record<string, number>>();
  for (const d of docs) byDay.set(d.day, addCounts(byDay.get(d.day) ?? {}, d.counts));
  return daysBetween(range.from, range.to).map((day) => {
    const f = figuresOf(byDay.get(day) ?? {});
    return {
      day,
      conversationsStarted: f.conversationsStarted,
      messagesIn: f.messagesIn,
      messagesOut: f.messagesOut.total,
      resolved: f.resolution.resolved,
      unresolved: f.resolution.unresolved,
      handoffs: f.handoffs.total,
      handoffsByReason: f.handoffs.byReason,
      botFirstResponseAvgMs: f.firstResponse.botAvgMs,
      humanFirstResponseAvgMs: f.firstResponse.humanBusinessHoursAvgMs,
    };
  });
}

/** The tenant's time zone (its bot settings), or UTC. */
export async function tenantZone(rt: Runtime, tenantId: string): Promise<string> {
  const tenant = await getTenant(rt, tenantId);
  return safeZone(tenant?.bot.timeZone);
}

/** The range a request asks for in the tenant's zone; a range that breaks the rules is invalid input. */
export async function tenantRange(
  rt: Runtime,
  tenantId: string,
  query: RangeQuery,
): Promise<{ from: string; to: string; timeZone: string; channel?: Platform }> {
  const timeZone = await tenantZone(rt, tenantId);
  const range = resolveRange(query, rt.clock.now(), timeZone);
  if ('error' in range) throw new InvalidInputError(range.error, [{ field: 'query.from', message: range.error }]);
  return { ...range, timeZone, ...(query.channel ? { channel: query.channel } : {}) };
}
