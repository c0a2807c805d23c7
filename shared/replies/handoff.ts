import { type BotSettings, DEFAULT_TIME_ZONE } from '../accounts/index.js';
import { fold, fromBusinessHours, localMoment, nextOpening, type OpeningHours, openState } from '../knowledge/index.js';
import { isIanaTimeZone } from '../platform/time-zone.js';

/** Ways people ask for a person, folded (no diacritics, lower case), in English and Romanian. */
const ASK_FOR_HUMAN = [
  /\b(talk|speak|chat)\s+(to|with)\s+(a\s+|an\s+|some\s*one|somebody|your\s+)?(human|person|someone|somebody|agent|staff|colleague|manager|owner|real)/,
  /\b(real|actual|live)\s+(person|human|agent)\b/,
  /\bhuman\s+(agent|being|please)\b/,
  /\b(are you|is this) a (bot|robot)\b/,
  /\b(call me|phone me)\b/,
  /\bvreau\s+(sa\s+)?(vorbesc|discut)\b/,
  /\b(vorbesc|vorbi|discut)\s+cu\s+(un|o|cineva|omul|persoana|operator|cineva)/,
  /\b(un|o)\s+(om|persoana|operator|operatoare)\s+(real|reala|adevarat)/,
  /\bcu\s+un\s+om\b/,
  /\b(sunati|sunați)-?ma\b/,
];

/** Pure: does the message ask for a human, in a built-in phrase or one of the tenant's own? */
export function asksForHuman(text: string, tenantPhrases: string[] = []): boolean {
  const f = fold(text);
  return ASK_FOR_HUMAN.some((re) => re.test(f)) || tenantPhrases.some((p) => p.trim() && f.includes(fold(p.trim())));
}

/**
 * Pure: is the business open now, and if not, when does it open next (date, weekday and "09:00")
 * within two weeks? The profile's structured hours decide when there are any (exceptions and holidays
 * included); the bot's old per-day settings only stand in for a tenant that set them and has no profile
 * hours. With neither, the hours are unknown (undefined): nothing is said about being open or closed.
 */
export function openingState(
  now: Date,
  bot: Pick<BotSettings, 'businessHours' | 'timeZone'>,
  hours?: OpeningHours,
): { open: boolean; today: string; next?: { day: number; time: string; date: string } } | undefined {
  const known = hours ?? fromBusinessHours(bot.businessHours);
  if (!known) return undefined;
  // Settings are checked on the way in and on read; this guard keeps the pure rule total anyway.
  const timeZone = isIanaTimeZone(bot.timeZone) ? bot.timeZone : DEFAULT_TIME_ZONE;
  const state = openState(known, now, timeZone);
  const today = localMoment(now, timeZone).date;
  return { open: state.open, today, ...(state.next ? { next: state.next } : {}) };
}

const HANDOFF = {
  en: {
    base: 'Thanks! A colleague will answer you here shortly.',
    rest: 'A colleague will answer the rest of your message here shortly.',
    reopens: (when: string) => `We're closed right now and open again ${when}.`,
    closed: "We're closed at the moment.",
  },
  ro: {
    base: 'Mulțumim! Un coleg vă va răspunde aici în curând.',
    rest: 'Un coleg vă va răspunde aici în curând la restul mesajului.',
    reopens: (when: string) => `Acum suntem închiși; redeschidem ${when}.`,
    closed: 'Momentan suntem închiși.',
  },
} as const;

/**
 * The short message a person gets when a colleague takes over. When closed, it says when the business
 * opens next ("today at 14:00", "on Monday 14 December at 09:00"), or only that it is closed when
 * nothing opens within two weeks. After an answer to part of a message (`rest`), it speaks of the rest.
 */
export function handoffMessage(
  language: 'en' | 'ro',
  now: Date,
  bot: Pick<BotSettings, 'businessHours' | 'timeZone'>,
  hours?: OpeningHours,
  rest = false,
): string {
  const state = openingState(now, bot, hours);
  const words = HANDOFF[language];
  const base = rest ? words.rest : words.base;
  if (!state || state.open) return base;
  return `${base} ${state.next ? words.reopens(nextOpening(state.next, state.today, language)) : words.closed}`;
}
