import { type TenantDoc, tenantRepositoryOf } from '../accounts/index.js';
import { enqueueEmail } from '../email/index.js';
import { log } from '../platform/log.js';
import type { Runtime } from '../platform/runtime.js';
import { readDays, settleDue } from './counters.js';
import { labelOf } from './gaps.js';
import { listGaps, rankGaps } from './gaps-store.js';
import { addDays, localDay, safeZone, weekdayOf } from './local-time.js';
import { addCounts, type Figures, figuresOf } from './metrics.js';
import { getInsightSettings } from './settings.js';

/** Gaps listed in a digest. */
export const DIGEST_GAPS = 3;

/** Pure: the last complete Monday–Sunday week before `now`, in the zone, and the week before it. */
export function digestWeeks(
  now: Date,
  timeZone: string,
): { week: { from: string; to: string }; previous: { from: string; to: string } } {
  const today = localDay(now.getTime(), timeZone);
  const thisMonday = addDays(today, -((weekdayOf(today) + 6) % 7));
  const from = addDays(thisMonday, -7);
  return { week: { from, to: addDays(from, 6) }, previous: { from: addDays(from, -7), to: addDays(from, -1) } };
}

/** Pure: "4 min", "1 h 5 min", "12 s", or "–" when nothing was measured. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function pct(f: Figures): string {
  return f.resolution.rate === null ? '–' : `${Math.round(f.resolution.rate * 100)}%`;
}

/** Pure: the template data of one digest. */
export function digestData(input: {
  company: string;
  week: { from: string; to: string };
  now: Figures;
  before: Figures;
  gaps: Array<{ id: string; text: string; count: number }>;
  baseUrl: string;
}): Record<string, string | number> {
  const { now, before } = input;
  const data: Record<string, string | number> = {
    company: input.company,
    from: input.week.from,
    to: input.week.to,
    conversations: now.conversationsStarted,
    conversationsPrev: before.conversationsStarted,
    resolved: pct(now),
    resolvedPrev: pct(before),
    handoffs: now.handoffs.total,
    handoffsPrev: before.handoffs.total,
    messagesIn: now.messagesIn,
    messagesInPrev: before.messagesIn,
    botResponse: formatDuration(now.firstResponse.botAvgMs),
    botResponsePrev: formatDuration(before.firstResponse.botAvgMs),
    humanResponse: formatDuration(now.firstResponse.humanBusinessHoursAvgMs),
    humanResponsePrev: formatDuration(before.firstResponse.humanBusinessHoursAvgMs),
    settingsUrl: `${input.baseUrl}/settings/insights`,
    gapCount: input.gaps.length,
  };
  input.gaps.forEach((g, i) => {
    data[`gap${i + 1}Text`] = g.text;
    data[`gap${i + 1}Count`] = g.count;
    data[`gap${i + 1}Url`] = `${input.baseUrl}/insights/gaps/${g.id}`;
  });
  return data;
}

async function figuresFor(rt: Runtime, tenantId: string, range: { from: string; to: string }): Promise<Figures> {
  const counts: Record<string, number> = {};
  for (const d of await readDays(rt, tenantId, range.from, range.to)) addCounts(counts, d.counts);
  return figuresOf(counts);
}

/**
 * Queues one tenant's digest for the last complete week. The e-mail key names the tenant and the
 * week, so however often the timer fires, the e-mail path sends it once.
 */
export async function sendDigest(rt: Runtime, tenant: TenantDoc): Promise<'sent' | 'off' | 'no_owner'> {
  if (!tenant.owner?.email) return 'no_owner';
  if (!(await getInsightSettings(rt, tenant.id)).weeklyDigest) return 'off';
  const zone = safeZone(tenant.bot.timeZone);
  const { week, previous } = digestWeeks(rt.clock.now(), zone);
  await settleDue(rt, tenant.id);
  const [now, before, gaps] = await Promise.all([
    figuresFor(rt, tenant.id, week),
    figuresFor(rt, tenant.id, previous),
    listGaps(rt, tenant.id, 'open'),
  ]);
  const top = rankGaps(gaps.filter((g) => g.samples.length > 0 || g.terms.length > 0))
    .slice(0, DIGEST_GAPS)
    .map((g) => ({
      id: g.id,
      count: g.count,
      text: [...g.samples].sort((a, b) => b.at.localeCompare(a.at))[0]?.text ?? labelOf(g.terms),
    }));
  await enqueueEmail(rt, {
    key: `insights-digest:${tenant.id}:${week.from}`,
    template: 'insights_weekly_digest',
    language: tenant.owner.preferredLanguage === 'ro' ? 'ro' : 'en',
    to: tenant.owner.email,
    tenantId: tenant.id,
    data: digestData({
      company: tenant.companyName,
      week,
      now,
      before,
      gaps: top,
      baseUrl: rt.settings.PUBLIC_BASE_URL,
    }),
  });
  return 'sent';
}

/** The weekly timer: every active tenant's digest. One tenant's failure does not stop the others. */
export async function runWeeklyDigest(rt: Runtime): Promise<Record<string, number>> {
  const outcome: Record<string, number> = {};
  for (const tenant of await tenantRepositoryOf(rt).listActive()) {
    try {
      const result = await sendDigest(rt, tenant);
      outcome[result] = (outcome[result] ?? 0) + 1;
    } catch (error) {
      outcome.failed = (outcome.failed ?? 0) + 1;
      log.warn('insights.digest_failed', { tenantId: tenant.id, error });
    }
  }
  log.info('insights.digest_done', outcome);
  return outcome;
}
