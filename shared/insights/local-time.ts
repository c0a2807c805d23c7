import { intervalsOn, type OpeningHours } from '../knowledge/index.js';

/**
 * Pure calendar arithmetic in a tenant's time zone, with Intl only (no time-zone library): the
 * figures are counted by the business's own day, and human response times only inside its hours.
 */

const DAY_MS = 86_400_000;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function localParts(at: number, timeZone: string): LocalParts & { seconds: number } {
  const parts = formatter(timeZone).formatToParts(new Date(at));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
    seconds: Number(get('second')),
  };
}

/** A valid IANA zone, or UTC: a bad stored zone must not stop the figures. */
export function safeZone(timeZone: string | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    formatter(timeZone);
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** The local calendar day ("2026-12-05") of an instant. */
export function localDay(at: number, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Offset of the zone from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, Math.floor(p.minutes / 60), p.minutes % 60, p.seconds);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The instant a local wall-clock time happens ("2026-12-05", 540 minutes → UTC ms). */
export function localTimeToInstant(day: string, minutes: number, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d, Math.floor(minutes / 60), minutes % 60);
  // Two passes settle the offset across a daylight-saving change.
  let guess = naive - offsetAt(naive, timeZone);
  guess = naive - offsetAt(guess, timeZone);
  return guess;
}

/** The day after (or n days after) a local day, as a calendar date. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Weekday of a calendar date, 0 = Sunday. */
export function weekdayOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** Every day from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 1000; d = addDays(d, 1)) out.push(d);
  return out;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Milliseconds between two instants that fall inside the business's opening hours, so a question
 * handed off on Saturday night and answered on Monday at 09:05 took five minutes, not 35 hours.
 * The hours are taken per calendar date: a dated exception (a closed holiday, special hours) stands
 * in for its weekday's intervals.
 */
export function businessMillisBetween(
  start: number,
  end: number,
  rules: { timeZone: string; hours: OpeningHours },
): number {
  if (end <= start) return 0;
  const zone = safeZone(rules.timeZone);
  let total = 0;
  const last = localDay(end, zone);
  for (let day = localDay(start, zone); day <= last; day = addDays(day, 1)) {
    for (const interval of intervalsOn(rules.hours, day).intervals) {
      const open = localTimeToInstant(day, toMinutes(interval.open), zone);
      const close = localTimeToInstant(day, toMinutes(interval.close), zone);
      const from = Math.max(open, start);
      const to = Math.min(close, end);
      if (to > from) total += to - from;
    }
  }
  return total;
}
