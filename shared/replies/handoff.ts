import { type BotSettings, DEFAULT_TIME_ZONE } from '../accounts/bot-settings.js';
import { isIanaTimeZone } from '../platform/time-zone.js';
import { fold } from '../knowledge/text.js';

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

const DAYS = { en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'], ro: ['duminică', 'luni', 'marți', 'miercuri', 'joi', 'vineri', 'sâmbătă'] };

function localParts(now: Date, stored: string): { day: number; minutes: number } {
  // Settings are checked on the way in and on read; this guard keeps the pure rule total anyway.
  const timeZone = isIanaTimeZone(stored) ? stored : DEFAULT_TIME_ZONE;
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Pure: is the business open now, and if not, when does it open next (day index and "09:00")? */
export function openingState(now: Date, bot: Pick<BotSettings, 'businessHours' | 'timeZone'>): { open: boolean; next?: { day: number; time: string } } {
  const { day, minutes } = localParts(now, bot.timeZone);
  const today = bot.businessHours[String(day) as keyof BotSettings['businessHours']];
  if (today && minutes >= toMinutes(today.open) && minutes < toMinutes(today.close)) return { open: true };
  for (let offset = 0; offset < 8; offset++) {
    const d = (day + offset) % 7;
    const hours = bot.businessHours[String(d) as keyof BotSettings['businessHours']];
    if (!hours) continue;
    if (offset === 0 && minutes >= toMinutes(hours.open)) continue;
    return { open: false, next: { day: d, time: hours.open } };
  }
  return { open: false };
}

/** The short message a person gets when a colleague takes over, with the next opening if closed now. */
export function handoffMessage(language: 'en' | 'ro', now: Date, bot: Pick<BotSettings, 'businessHours' | 'timeZone'>): string {
  const state = openingState(now, bot);
  if (language === 'ro') {
    const base = 'Mulțumim! Un coleg vă va răspunde aici în curând.';
    return state.open || !state.next ? base : `${base} Acum suntem închiși; redeschidem ${DAYS.ro[state.next.day]} la ${state.next.time}.`;
  }
  const base = 'Thanks! A colleague will answer you here shortly.';
  return state.open || !state.next ? base : `${base} We're closed right now and open again on ${DAYS.en[state.next.day]} at ${state.next.time}.`;
}
