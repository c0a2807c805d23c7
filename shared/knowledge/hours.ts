import { z } from 'zod';
import { openInterval } from '../platform/clock-time.js';
import { lexicon } from './lexicon.js';
import { fold } from './text.js';

const interval = openInterval(
  'open must be before close; hours past midnight go on the next day (22:00–24:00, then 00:00–02:00)',
);
const intervals = z
  .array(interval, {
    error: (iss) =>
      iss.code === 'invalid_type' && iss.input !== undefined
        ? 'must be a list of {"open": "HH:MM", "close": "HH:MM"}, at most 4; [] when closed'
        : undefined,
  })
  .max(4)
  .refine(
    (list) => list.every((i, k) => k === 0 || (list[k - 1] as Interval).close <= i.open),
    'intervals must be in time order and must not overlap',
  );

export const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

/**
 * Structured opening hours (the one source of truth): intervals per weekday in the tenant's time zone
 * (a missing day is closed), and dated exceptions (a holiday without intervals is closed that day).
 */
export const openingHoursSchema = z
  .strictObject({
    weekly: z.partialRecord(z.enum(WEEKDAY_KEYS), intervals),
    exceptions: z
      .array(
        z.strictObject({
          date: z.iso.date(),
          intervals: intervals.optional(),
          label: z.string().trim().min(1).max(100).optional(),
        }),
      )
      .max(100)
      .superRefine((list, ctx) => {
        const seen = new Set<string>();
        for (const [k, e] of list.entries()) {
          if (seen.has(e.date))
            ctx.addIssue({ code: 'custom', path: [k, 'date'], message: `${e.date} already has an exception` });
          seen.add(e.date);
        }
      })
      .optional(),
  })
  .meta({ id: 'OpeningHours' });
export type OpeningHours = z.infer<typeof openingHoursSchema>;
export type Interval = z.infer<typeof interval>;

const pad = (n: number) => String(n).padStart(2, '0');

/** One time of day as the owner wrote it: "9", "09:30", "8.30", "9am", "5:30 pm" (a 12-hour clock with its am/pm is plain). */
function time(text: string): string | undefined {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/.exec(text);
  if (!m) return undefined;
  let h = Number(m[1]);
  const min = Number(m[2] ?? '0');
  if (m[3]) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (m[3] === 'pm' ? 12 : 0);
  }
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return undefined;
  return `${pad(h)}:${pad(min)}`;
}

function dayOf(word: string): number | undefined {
  const f = fold(word).replace(/[.:]$/, '');
  for (const lang of ['en', 'ro'] as const) {
    for (const [day, names] of lexicon.data.weekdays[lang].entries()) if (names.some((n) => fold(n) === f)) return day;
    for (const [day, names] of lexicon.data.weekdayAbbreviations[lang].entries())
      if (names.some((n) => fold(n) === f)) return day;
  }
  return undefined;
}

function groupOf(phrase: string): number[] | undefined {
  const f = fold(phrase).trim();
  for (const g of Object.values(lexicon.data.weekdayGroups))
    if ([...g.en, ...g.ro].some((n) => fold(n) === f)) return g.days;
  return undefined;
}

const CLOSED = /^(closed|inchis|inchisa|liber)$/;
const DASH = /\s*(?:-|–|—|\bto\b|\bthrough\b|\bthru\b|\bpana(?: la)?\b|\bla\b)\s*/;
/** A day's hours round the clock, as a part of the text says it ("Mon-Sun non-stop"). */
const ROUND_THE_CLOCK = /^(?:non[- ]?stop|24\s*h|24 de ore|24 hours)$/;
/** One time, with its am/pm if written: "9", "09:30", "9am", "5:30 pm". */
const TIME = String.raw`\d[\d:.]*(?:\s*[ap]m)?`;
/** One or more time ranges: "9-18", "9:00-12:00 / 13:00-17:00", "9am to 5:30pm". */
const RANGES = String.raw`(?:${TIME}\s*(?:-|–|—|to|pana la|pana)\s*${TIME}(?:\s*(?:\/|&|and|si)\s*)?)+`;
// "Luni-Vineri orele 9-18", "Mon-Fri between 9-18": the words before the times say nothing more.
const DAY_PART = new RegExp(
  String.raw`^(.+?)\s*:?(?:\s+(?:orele|ora|intre|between|from|de la))?\s+(${RANGES}|closed|inchis|inchisa|liber|non[- ]?stop|24\s*h|24 de ore|24 hours)$`,
);
const RANGES_ONLY = new RegExp(`^${RANGES}$`);
const CLOSED_FIRST = /^(?:closed|inchis|inchisa)\s+(?:on\s+|pe\s+|in\s+|every\s+)?(.+)$/;

/**
 * Pure: structured hours from the free-text field, when every part of it reads as days and times
 * ("Mon-Fri 08:00-20:00, Sat 09:00-14:00", "Luni–vineri 9–19, sâmbătă 10–16, duminică închis").
 * Anything it cannot read whole returns undefined, and the owner is asked to set the hours.
 */
export function parseOpeningHours(text: string): OpeningHours | undefined {
  const body = fold(text)
    .trim()
    .replace(/\b([ap])\.\s?m\b\.?/g, '$1m')
    .replace(HOURS_HEADING, '')
    .replace(/\.$/, '');
  if (ALWAYS_OPEN.test(body)) return ALL_DAY_EVERY_DAY;
  // A full stop between two days' parts separates them as a comma does ("9-18. Sâmbătă 10-14"); "08.30" stays.
  // So does a slash before a word ("9-18 / Sat 10-14"); between times it joins two ranges of one day ("9-12/14-18").
  const parts = body
    .split(/[,;\n]+|\.\s+(?=[a-z])|\s*\/\s*(?=[a-z])/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const weekly: OpeningHours['weekly'] = {};
  const seen = new Set<WeekdayKey>();
  // Days listed with commas before their hours ("Luni, Miercuri, Vineri 9-17") wait for the part with the hours.
  let listed: string[] = [];
  // Times alone after a day's part are more of that day's hours ("Mon-Fri: 9:00-12:00, 13:00-17:00").
  let lastDays: number[] | undefined;
  let lastClose = '00:00';
  for (const part of parts) {
    const m = DAY_PART.exec(part);
    if (!m && !listed.length && lastDays && RANGES_ONLY.test(part)) {
      const more = addHours(weekly, seen, lastDays, part, lastClose);
      if (!more) return undefined;
      lastClose = more.at(-1)?.close ?? lastClose;
      continue;
    }
    if (!m && daysOf(part)) {
      listed.push(part);
      continue;
    }
    // "closed on Sunday", "închis duminica": the day after the word.
    const closedFirst = !m && !listed.length ? CLOSED_FIRST.exec(part) : null;
    const closedDays = closedFirst && daysOf(closedFirst[1] as string);
    if (closedDays) {
      if (!addHours(weekly, seen, closedDays, 'closed')) return undefined;
      lastDays = undefined;
      continue;
    }
    if (!m) return undefined;
    const days = daysOf([...listed, m[1] as string].join(' '));
    listed = [];
    const added = days && addHours(weekly, seen, days, (m[2] as string).trim());
    if (!added) return undefined;
    lastDays = days;
    lastClose = added.at(-1)?.close ?? '24:00';
  }
  if (listed.length) return undefined;
  // Overlapping parts, or more parts in a day than the hours hold, are for the owner too.
  const parsed = openingHoursSchema.safeParse({ weekly });
  return parsed.success && Object.keys(weekly).length ? parsed.data : undefined;
}

/**
 * Adds one part's hours ("9-18", "9:00-12:00 / 13:00-17:00", "closed") to its days, and returns them;
 * undefined when the part cannot be read or contradicts what an earlier part gave the same day.
 * `after` is where the day's earlier part ended, for times that continue it.
 */
function addHours(
  weekly: OpeningHours['weekly'],
  seen: Set<WeekdayKey>,
  days: number[],
  spec: string,
  after = '00:00',
): Interval[] | undefined {
  const list: Interval[] = [];
  if (ROUND_THE_CLOCK.test(spec)) list.push({ open: '00:00', close: '24:00' });
  else if (!CLOSED.test(spec)) {
    for (const range of spec.split(/\s*(?:\/|&|and|si)\s*/)) {
      const interval = intervalOf(range);
      // Written out of time order ("22-24, 00-03") is a night past midnight: which day it belongs to is the owner's call.
      if (!interval || interval.open < (list.at(-1)?.close ?? after)) return undefined;
      list.push(interval);
    }
  }
  for (const d of days) {
    const key = WEEKDAY_KEYS[d] as WeekdayKey;
    // The same hours again are a repeat (the week written in English and in Romanian). A day named twice
    // ("Mon 9-12, Mon 14-18") gets both parts; a day given two different answers ("Sâmbătă 10-14,
    // Luni-Sâmbătă 9-18", or closed and open) is for the owner to settle.
    if (seen.has(key) && repeats(weekly[key] ?? [], list)) continue;
    if (seen.has(key) && (!list.length || !weekly[key]?.length)) return undefined;
    seen.add(key);
    if (list.length) weekly[key] = [...(weekly[key] ?? []), ...list].sort((x, y) => x.open.localeCompare(y.open));
  }
  return list;
}

/** Whether hours given again for a day are already its hours (closed again, or parts it already has). */
function repeats(day: Interval[], again: Interval[]): boolean {
  if (again.length === 0) return day.length === 0;
  return again.every((x) => day.some((y) => x.open === y.open && x.close === y.close));
}

/**
 * One range as written, or undefined when it is not plain. When only one end says am or pm ("9-5pm"),
 * the other is read both ways and kept only if one reading alone makes a range ("9-5pm" is 09:00–17:00;
 * "7-11pm" could be either, so it is asked). A bare hour from 1 to 6 on both ends is a 12-hour clock, a
 * chain of ranges ("9-12-18") leaves out a part, and "00:00-00:00" is closed to some owners and open
 * round the clock to others.
 */
function intervalOf(range: string): Interval | undefined {
  const pieces = range.split(DASH).map((t) => t.trim());
  const [a, b] = pieces;
  if (pieces.length !== 2 || !a || !b) return undefined;
  const suffix = (t: string) => /([ap]m)$/.exec(t)?.[1];
  const [sa, sb] = [suffix(a), suffix(b)];
  if (!sa && !sb) return twelveHourClock(a, b) ? undefined : plainInterval(time(a), time(b));
  if (sa && sb) return plainInterval(time(a), time(b));
  // One end has am/pm: try the bare end as am and as pm, unless it is plainly a 24-hour time ("18:00", "0").
  const [bare, given] = sa ? [b, a] : [a, b];
  const readings = (['am', 'pm'] as const)
    .map((s) => (/^\d{1,2}(?:[:.]\d{2})?$/.test(bare) && /^(?:[1-9]|1[0-2])\b/.test(bare) ? `${bare}${s}` : bare))
    .map((t) => (sa ? plainInterval(time(given), time(t)) : plainInterval(time(t), time(given))))
    .filter((i): i is Interval => i !== undefined);
  const distinct = new Set(readings.map((i) => `${i.open}-${i.close}`));
  return distinct.size === 1 ? readings[0] : undefined;
}

/** A range from two read times; a close written as midnight ("18:00-00:00", "6pm-12am") is the end of the day. */
function plainInterval(open: string | undefined, end: string | undefined): Interval | undefined {
  const close = end === '00:00' && open !== '00:00' ? '24:00' : end;
  return open && close && open < close ? { open, close } : undefined;
}

/**
 * Only a heading that says "these are the hours" ("Program:", "Opening hours", "Open") or names the
 * premises ("Showroom:") is dropped: any other words before a colon ("Summer hours:", "Doar cu
 * programare:") limit the hours, so the owner is asked.
 */
const HOURS_HEADING =
  /^(?:(?:program(?:ul)?(?: de lucru)?|orar|opening hours|hours|open|schedule)\s*:?\s+|(?:showroom|shop|store|magazin|salon|studio|atelier)\s*:\s*)/;

/** Open round the clock: "non-stop", "24/7", "deschis 24 de ore". */
const ALWAYS_OPEN = /^(?:deschis\s+|open\s+)?(?:non[- ]?stop|24\s*\/\s*7|24\s*h|24 de ore|24 hours)$/;

/** "1-5" or "10-2" is a 12-hour clock ("Sat 1-5" is 13:00-17:00), which a bare hour from 1 to 6 gives away ("0-24" is not). */
function twelveHourClock(a: string, b: string): boolean {
  return [a, b].some((t) => /^\s*\d{1,2}\s*$/.test(t) && Number(t) >= 1 && Number(t) < 7);
}

function daysOf(text: string): number[] | undefined {
  // "De luni până vineri", "from Monday to Friday"; "from Monday" alone may mean "starting Monday", so is asked.
  const from = /^(?:de la|de|from)\s+/.exec(text.trim());
  const t = text.trim().slice(from?.[0].length ?? 0);
  if (from && t.split(DASH).length !== 2) return undefined;
  const group = groupOf(t);
  if (group) return group;
  const range = t.split(DASH);
  if (range.length === 2) {
    const a = dayOf(range[0] as string);
    const b = dayOf(range[1] as string);
    if (a === undefined || b === undefined) return undefined;
    const out: number[] = [];
    for (let d = a; ; d = (d + 1) % 7) {
      out.push(d);
      if (d === b || out.length > 7) break;
    }
    return out;
  }
  const list = t
    .split(/\s*(?:\/|&|and|si|\s)\s*/)
    .filter(Boolean)
    .map(dayOf);
  return list.length && list.every((d) => d !== undefined) ? (list as number[]) : undefined;
}

/**
 * Converts the bot's old per-day settings ("0" Sunday … "6") to structured hours, or undefined when the owner set
 * none: unknown hours, not a business closed all week.
 */
export function fromBusinessHours(
  hours: Partial<Record<string, { open: string; close: string }>>,
): OpeningHours | undefined {
  const weekly: OpeningHours['weekly'] = {};
  for (const [day, h] of Object.entries(hours))
    if (h) weekly[WEEKDAY_KEYS[Number(day)] as WeekdayKey] = [{ open: h.open, close: h.close }];
  return Object.keys(weekly).length ? { weekly } : undefined;
}

/** Every day, all day: "non-stop", and the hours counted in when a tenant has none. */
export const ALL_DAY_EVERY_DAY: OpeningHours = {
  weekly: Object.fromEntries(WEEKDAY_KEYS.map((d) => [d, [{ open: '00:00', close: '24:00' }]])),
};

/** The local calendar date, weekday and minute in a time zone. */
export function localMoment(now: Date, timeZone: string): { date: string; day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    day: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Pure: the intervals of one calendar date, exceptions first. */
export function intervalsOn(hours: OpeningHours, date: string): { intervals: Interval[]; label?: string } {
  const exception = hours.exceptions?.find((e) => e.date === date);
  if (exception)
    return { intervals: exception.intervals ?? [], ...(exception.label ? { label: exception.label } : {}) };
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  // Sorted again: hours stored before the order was checked may still hold the parts out of order.
  const intervals = [...(hours.weekly[WEEKDAY_KEYS[day] as WeekdayKey] ?? [])].sort((a, b) =>
    a.open.localeCompare(b.open),
  );
  return { intervals };
}

/** Pure: open now? If not, the next opening (date, weekday, time) within two weeks. */
export function openState(
  hours: OpeningHours,
  now: Date,
  timeZone: string,
): { open: boolean; next?: { date: string; day: number; time: string } } {
  const here = localMoment(now, timeZone);
  const today = intervalsOn(hours, here.date).intervals;
  if (today.some((i) => here.minutes >= toMinutes(i.open) && here.minutes < toMinutes(i.close))) return { open: true };
  for (let offset = 0; offset < 15; offset++) {
    const date = addDays(here.date, offset);
    const list = intervalsOn(hours, date).intervals.filter((i) => offset > 0 || toMinutes(i.open) > here.minutes);
    const first = list[0];
    if (first) return { open: false, next: { date, day: new Date(`${date}T12:00:00Z`).getUTCDay(), time: first.open } };
  }
  return { open: false };
}

export type Lang = 'en' | 'ro';
const LOCALE: Record<Lang, string> = { en: 'en-GB', ro: 'ro-RO' };
const WORDS = {
  en: {
    closed: 'closed',
    and: 'and',
    hours: 'Opening hours',
    openNow: 'We are open now',
    closedNow: 'We are closed now',
    nextOpen: 'we open again',
  },
  ro: {
    closed: 'închis',
    and: 'și',
    hours: 'Program',
    openNow: 'Acum suntem deschiși',
    closedNow: 'Acum suntem închiși',
    nextOpen: 'redeschidem',
  },
} as const;

/** A weekday's name in a language, from Intl (2023-01-01 was a Sunday). */
export function weekdayName(day: number, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2023, 0, 1 + day)),
  );
}

function dateName(date: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALE[lang], {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${date}T12:00:00Z`));
}

const cap = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

/** Days ahead within which a weekday alone names the next opening ("on Wednesday"); further out, the date. */
const WEEKDAY_ONLY_WITHIN = 6;

/**
 * Pure: when the next opening is, said from today in the customer's language: "today at 14:00",
 * "tomorrow at 09:00", "on Wednesday at 10:00", or the date when it is a week or more away
 * ("on Monday 14 December at 09:00"), so a weekday never reads as the wrong week.
 */
export function nextOpening(next: { date: string; time: string }, today: string, lang: Lang): string {
  const ahead = Math.round((Date.parse(`${next.date}T12:00:00Z`) - Date.parse(`${today}T12:00:00Z`)) / 86_400_000);
  const day = new Date(`${next.date}T12:00:00Z`).getUTCDay();
  if (lang === 'ro') {
    if (ahead === 0) return `azi la ${next.time}`;
    if (ahead === 1) return `mâine la ${next.time}`;
    return ahead <= WEEKDAY_ONLY_WITHIN
      ? `${weekdayName(day, lang)} la ${next.time}`
      : `${dateName(next.date, lang)}, la ${next.time}`;
  }
  if (ahead === 0) return `today at ${next.time}`;
  if (ahead === 1) return `tomorrow at ${next.time}`;
  return ahead <= WEEKDAY_ONLY_WITHIN
    ? `on ${weekdayName(day, lang)} at ${next.time}`
    : `on ${dateName(next.date, lang)} at ${next.time}`;
}

function intervalsText(list: Interval[], lang: Lang): string {
  return list.length ? list.map((i) => `${i.open}–${i.close}`).join(` ${WORDS[lang].and} `) : WORDS[lang].closed;
}

/** Pure: one line per run of weekdays with the same hours, Monday first, in the customer's language. */
export function renderWeek(hours: OpeningHours, lang: Lang): string {
  const order = [1, 2, 3, 4, 5, 6, 0];
  const text = (d: number) => intervalsText(hours.weekly[WEEKDAY_KEYS[d] as WeekdayKey] ?? [], lang);
  const runs: Array<{ from: number; to: number; text: string }> = [];
  for (const d of order) {
    const last = runs[runs.length - 1];
    if (last && last.text === text(d)) last.to = d;
    else runs.push({ from: d, to: d, text: text(d) });
  }
  return runs
    .map((r) => `${cap(weekdayName(r.from, lang))}${r.from === r.to ? '' : `–${weekdayName(r.to, lang)}`}: ${r.text}`)
    .join('; ');
}

/**
 * Pure: the hours of the given weekdays, Monday first. A weekday whose next date (from `today` on) has
 * an exception is said as that date ("Saturday 26 December: closed (Christmas)"), as that is the day meant;
 * after a date asked before (`anchor`), every weekday is said as the date nearest it.
 */
export function renderDays(hours: OpeningHours, days: number[], lang: Lang, today?: string, anchor?: string): string {
  return [...days]
    .sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7))
    .map((d) => {
      // After a date ("on the 26th?"), a weekday is the one nearest it, said with its date.
      if (anchor && today) return renderDates(hours, [dateNear(d, anchor, today)], lang);
      const next = today && nextDateOf(d, today);
      if (next && hours.exceptions?.some((e) => e.date === next)) return renderDates(hours, [next], lang);
      return `${cap(weekdayName(d, lang))}: ${intervalsText(hours.weekly[WEEKDAY_KEYS[d] as WeekdayKey] ?? [], lang)}`;
    })
    .join('; ');
}

/** The next date (today included) that falls on a weekday. */
function nextDateOf(day: number, today: string): string {
  const from = new Date(`${today}T12:00:00Z`).getUTCDay();
  return addDays(today, (day - from + 7) % 7);
}

/**
 * The weekday's date nearest `anchor` (within three days either side: Friday after Saturday the 26th is the
 * 25th, Monday after Sunday the 27th is the 28th); the coming one when that is already past.
 */
function dateNear(day: number, anchor: string, today: string): string {
  const offset = (day - new Date(`${anchor}T12:00:00Z`).getUTCDay() + 7) % 7;
  const date = addDays(anchor, offset > 3 ? offset - 7 : offset);
  return date < today ? nextDateOf(day, today) : date;
}

/**
 * Pure: the hours of given dates (exceptions included), e.g. "joi, 25 decembrie: închis (Crăciun)". A label that is only
 * a holiday's name is said in the customer's language ("Friday 25 December: closed (Christmas)"); any other stays as
 * the owner wrote it.
 */
export function renderDates(hours: OpeningHours, dates: string[], lang: Lang): string {
  return dates
    .map((date) => {
      const { intervals, label } = intervalsOn(hours, date);
      const named = label && (lexicon.holidayName(label, lang) ?? label);
      return `${cap(dateName(date, lang))}: ${intervalsText(intervals, lang)}${named ? ` (${named})` : ''}`;
    })
    .join('; ');
}

/** A holiday asked is its whole period: "over Christmas" is Christmas Eve too, "New Year" its eve. */
const HOLIDAY_PERIODS: Readonly<Record<string, string[]>> = {
  christmas: ['christmas-eve'],
  'new-year': ['new-year-eve'],
};

/**
 * The upcoming exceptions whose label or date a question names ("Christmas", "Crăciun"); for the holidays in general
 * ("programul de sărbători", "holiday hours"), every special day of the coming month.
 */
export function exceptionsAsked(hours: OpeningHours, question: string, today: string): string[] {
  const holidays = lexicon.holidaysIn(question);
  if (holidays.length === 0) return [];
  const upcoming = (hours.exceptions ?? []).filter((e) => e.date >= today);
  if (holidays.includes('holiday')) return upcoming.filter((e) => e.date <= addDays(today, 31)).map((e) => e.date);
  const labelled = (ids: Set<string>) =>
    upcoming.filter((e) => e.label && lexicon.holidaysIn(e.label).some((h) => ids.has(h))).map((e) => e.date);
  const named = labelled(new Set(holidays));
  // The rest of the period only with the day asked: "Christmas" with only Christmas Eve listed is no answer.
  if (named.length === 0) return [];
  const period = labelled(new Set(holidays.flatMap((h) => HOLIDAY_PERIODS[h] ?? [])));
  return [...new Set([...period, ...named])].sort();
}

/** Month names (folded, long and short) in both languages, from Intl: "decembrie" and "dec" are 12. */
const MONTHS: ReadonlyMap<string, number> = (() => {
  const out = new Map<string, number>();
  for (const locale of ['en', 'ro'])
    for (const month of ['long', 'short'] as const) {
      const f = new Intl.DateTimeFormat(locale, { month, timeZone: 'UTC' });
      for (let m = 1; m <= 12; m++) out.set(fold(f.format(Date.UTC(2026, m - 1, 1))).replace(/\.$/, ''), m);
    }
  return out;
})();

/**
 * Pure: the calendar dates a question names ("24 decembrie", "December 24th", "24.12", "24/12"), each
 * the next such date from today on. A day that no month has (31 April) is not a date.
 */
export function datesNamed(question: string, today: string): string[] {
  // "Open 24/7?", "non-stop 24/24": always, never the 24th of July.
  const text = fold(question).replace(/(?<![\d./-])(?:24\s*\/\s*7|24\s*\/\s*24|7\s*\/\s*7)(?![\d./-])/g, ' ');
  const found: Array<[number, number]> = [];
  const monthWord = '([a-z]{3,10})\\.?';
  for (const m of text.matchAll(new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${monthWord}`, 'g')))
    found.push([Number(m[1]), MONTHS.get(m[2] as string) ?? 0]);
  // "may 2 of us" and "mai 2 locuri" are not dates: May goes only after its day.
  for (const m of text.matchAll(new RegExp(`\\b${monthWord}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, 'g')))
    if (m[1] !== 'may' && m[1] !== 'mai') found.push([Number(m[2]), MONTHS.get(m[1] as string) ?? 0]);
  // "at 10.15", "la 11.10", "around 9.10", "till 10/11" are times.
  // Day first, as written here ("26.12"); month first only where it cannot be a day first ("12/26").
  for (const m of text.matchAll(
    /(?<!\b(?:at|ora|la|around|about|till|until|by|before|after|from|de la|pana la|dupa|inainte de|spre)\s)(?<![\d./-])\b(\d{1,2})[./](\d{1,2})\b(?![./-]\d)/g,
  ))
    found.push(Number(m[2]) > 12 && Number(m[1]) <= 12 ? [Number(m[2]), Number(m[1])] : [Number(m[1]), Number(m[2])]);
  const year = Number(today.slice(0, 4));
  const dates = new Set<string>();
  // With the year: "26.12.2026", "24.12.26", "26/12/2026", ISO "2026-12-26".
  const dated: Array<[number, number, number]> = [
    ...[...text.matchAll(/\b(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})\b/g)].map((m): [number, number, number] => [
      (m[3]?.length === 2 ? 2000 : 0) + Number(m[3]),
      Number(m[2]),
      Number(m[1]),
    ]),
    ...[...text.matchAll(/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g)].map((m): [number, number, number] => [
      Number(m[1]),
      Number(m[2]),
      Number(m[3]),
    ]),
  ];
  for (const [y, month, day] of dated) {
    const date = `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const real = new Date(`${date}T00:00:00Z`);
    if (!Number.isNaN(real.getTime()) && real.getUTCDate() === day && date >= today) dates.add(date);
  }
  for (const day of daysOfMonthNamed(text)) dates.add(nextDateWithDay(day, today));
  for (const [day, month] of found) {
    if (month < 1 || month > 12 || day < 1) continue;
    for (const y of [year, year + 1]) {
      const date = `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      const real = new Date(`${date}T00:00:00Z`);
      if (Number.isNaN(real.getTime()) || real.getUTCDate() !== day) break;
      if (date >= today) {
        dates.add(date);
        break;
      }
    }
  }
  return [...dates].sort();
}

/**
 * The days of the month a question names without a month: "the 25th", "Thursday 24th", "pe 26?". A bare
 * number needs "the" or "pe" before it and no word after it, so "pe 2 persoane" is not a date.
 */
function daysOfMonthNamed(folded: string): number[] {
  const days: number[] = [];
  const monthAfter = (rest: string) => /^\s+(?:of\s+)?([a-z]{3,10})/.exec(rest)?.[1];
  for (const m of folded.matchAll(/\b(?:(the|pe|on)\s+)?(\d{1,2})(st|nd|rd|th)?\b/g)) {
    const rest = folded.slice((m.index ?? 0) + m[0].length);
    const month = monthAfter(rest) ?? /([a-z]{3,10})\.?\s+$/.exec(folded.slice(0, m.index ?? 0))?.[1];
    if (month && MONTHS.has(month)) continue;
    const ordinal = Boolean(m[3]);
    const bare = Boolean(m[1]) && !/^\s*([a-z]|[:./]\d)/.test(rest);
    const day = Number(m[2]);
    if ((ordinal || bare) && day >= 1 && day <= 31) days.push(day);
  }
  return days;
}

/** The next date (today included) with this day of the month, skipping months that lack it. */
function nextDateWithDay(day: number, today: string): string {
  let [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  for (;;) {
    const date = `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const real = new Date(`${date}T00:00:00Z`);
    if (!Number.isNaN(real.getTime()) && real.getUTCDate() === day && date >= today) return date;
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
  }
}

/**
 * The public holidays on a fixed date (month-day) by country. Romania: the Labour Code's list (art.
 * 139): New Year, the Union of the Principalities, Epiphany and St John, Labour Day, Children's Day,
 * the Dormition, St Andrew, the National Day and Christmas. Easter and Pentecost move, so they are
 * only known when named ("Paște") or set by the owner.
 */
const PUBLIC_HOLIDAYS: Record<string, string[]> = {
  RO: ['01-01', '01-02', '01-06', '01-07', '01-24', '05-01', '06-01', '08-15', '11-30', '12-01', '12-25', '12-26'],
};

/**
 * Pure: whether a question names a holiday the hours list nothing for ("open on Easter Monday?" with
 * no Easter exception, or "1 mai?" in Romania with no exception that day): the weekly hours would be a
 * guess, so a colleague answers.
 */
export function namesUnlistedHoliday(hours: OpeningHours, question: string, today: string, country = ''): boolean {
  const named = lexicon.holidaysIn(question).filter((h) => h !== 'holiday');
  if (named.length > 0 && exceptionsAsked(hours, question, today).length === 0) return true;
  const fixed = PUBLIC_HOLIDAYS[country] ?? [];
  return datesNamed(question, today).some(
    (date) => fixed.includes(date.slice(5)) && !hours.exceptions?.some((e) => e.date === date),
  );
}

/**
 * Pure: the hours answer for a question, in the customer's language: the dates, days or holidays it names,
 * today or tomorrow when asked, otherwise the whole week and the next exceptions. `previous` is the
 * customer's previous turn when the answer was found with it (a follow-up that names no day is about
 * its day); `earlier` is that turn in any case, whose date anchors a weekday asked after it.
 */
export function hoursAnswer(
  hours: OpeningHours,
  message: string,
  lang: Lang,
  now: Date,
  timeZone: string,
  previous = '',
  earlier = previous,
): string {
  // Of several sentences, the ones that ask: "Are you open today? I was there on the 5th." is about today.
  const asking = message.split(/(?<=[.!?])\s+|\n+/).filter((s) => s.trim().endsWith('?'));
  const question = asking.length ? asking.join(' ') : message;
  const here = localMoment(now, timeZone);
  const datesIn = (text: string) =>
    [...new Set([...exceptionsAsked(hours, text, here.date), ...datesNamed(text, here.date)])].sort();
  const dates = datesIn(question);
  if (dates.length) return renderDates(hours, dates, lang);
  const days = lexicon.weekdaysIn(question);
  const concepts = lexicon.concepts(question);
  // "Are you open today and on Saturday?" asks both dates.
  const relative = [
    ...(concepts.includes('today') ? [here.date] : []),
    ...(concepts.includes('tomorrow') ? [addDays(here.date, 1)] : []),
  ];
  if (days.length && relative.length)
    return renderDates(hours, [...new Set([...relative, ...days.map((d) => nextDateOf(d, here.date))])].sort(), lang);
  // "And on Friday?" after "Thursday the 24th?" is the Friday nearest that date, not the coming one.
  if (days.length)
    return renderDays(hours, days, lang, here.date, (earlier.trim() && datesIn(earlier)[0]) || undefined);
  // A follow-up that names no day ("and what time do you close?") is about the day the previous turn named.
  if (previous.trim() && !concepts.includes('tomorrow') && !concepts.includes('today'))
    return hoursAnswer(hours, previous, lang, now, timeZone, '', '');
  const tomorrow = concepts.includes('tomorrow') ? [addDays(here.date, 1)] : [];
  if (concepts.includes('today')) {
    const state = openState(hours, now, timeZone);
    const head = state.open ? WORDS[lang].openNow : WORDS[lang].closedNow;
    const next =
      !state.open && state.next ? `; ${WORDS[lang].nextOpen} ${nextOpening(state.next, here.date, lang)}` : '';
    // "Open today? And tomorrow?" asks both days. Closed, the next opening says it all: today's hours, over or none,
    // after "we are closed now" would only puzzle.
    const days = state.open ? [here.date, ...tomorrow] : tomorrow;
    return days.length ? `${head}${next}. ${renderDates(hours, days, lang)}` : `${head}${next}.`;
  }
  if (tomorrow.length) return renderDates(hours, tomorrow, lang);
  const soon = (hours.exceptions ?? [])
    .filter((e) => e.date >= here.date && e.date <= addDays(here.date, 14))
    .map((e) => e.date);
  return `${WORDS[lang].hours}: ${renderWeek(hours, lang)}${soon.length ? `. ${renderDates(hours, soon, lang)}` : ''}`;
}
