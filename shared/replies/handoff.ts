import { type BotSettings, DEFAULT_TIME_ZONE } from '../accounts/index.js';
import { fold, fromBusinessHours, type OpeningHours, openState, weekdayName } from '../knowledge/index.js';
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
 * Pure: is the business open now, and if not, when does it open next (weekday and "09:00")? The
 * profile's structured hours decide when there are any (exceptions and holidays included); the bot's
 * old per-day settings only stand in for a tenant that has none yet.
 */
export function openingState(
  now: Date,
  bot: Pick<BotSettings, 'businessHours' | 'timeZone'>,
  hours?: OpeningHours,
): { open: boolean; next?: { day: number; time: string; date?: string } } {
  // Settings are checked on the way in and on read; this guard keeps the pure rule total anyway.
  const timeZone = isIanaTimeZone(bot.timeZone) ? bot.timeZone : DEFAULT_TIME_ZONE;
  const state = openState(hours ?? fromBusinessHours(bot.businessHours), now, timeZone);
  if (state.open || !state.next) return { open: state.open };
  return { open: false, next: hours ? state.next : { day: state.next.day, time: state.next.time } };
}

/** The short message a person gets when a colleague takes over, with the next opening if closed now. */
export function handoffMessage(
  language: 'en' | 'ro',
  now: Date,
  bot: Pick<BotSettings, 'businessHours' | 'timeZone'>,
  hours?: OpeningHours,
): string {
  const state = openingState(now, bot, hours);
  const day = state.next ? weekdayName(state.next.day, language) : '';
  if (language === 'ro') {
    const base = 'Mulțumim! Un coleg vă va răspunde aici în curând.';
    return state.open || !state.next ? base : `${base} Acum suntem închiși; redeschidem ${day} la ${state.next.time}.`;
  }
  const base = 'Thanks! A colleague will answer you here shortly.';
  return state.open || !state.next
    ? base
    : `${base} We're closed right now and open again on ${day} at ${state.next.time}.`;
}
