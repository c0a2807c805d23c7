import { MONTH_NAMES } from '../platform/month-names.js';
import { lexicon } from './lexicon.js';

/**
 * What kind of value a free text holds, as the lexicon's intent ids: a passage that names an amount of
 * money answers "how much", one that names a span of time answers "how long", whatever words ask it.
 * Romanian puts "de" between a number from 20 up and its noun ("40 de lei", "24 de ore").
 */
const END = String.raw`(?!\p{L})`;
const DIGITS = String.raw`(?<![\d.,])\d[\d.,]*\s{0,3}(?:de\s{1,3})?`;
// Spelled-out amounts of time ("an hour", "half an hour", "o oră", "două săptămâni"); not of years, which are ages.
const SPELLED = String.raw`(?:an?|one|two|three|four|five|six|seven|eight|ten|twelve|half\s{1,3}an?|a\s{1,3}couple\s{1,3}of|a\s{1,3}few|o|un|una|două|doua|trei|patru|cinci|șase|sase|șapte|sapte|opt|zece|jumătate\s{1,3}de|jumatate\s{1,3}de|câteva|cateva)\s{1,3}`;
const CURRENCY = String.raw`(?:lei|ron|eur|euro|euros|usd|dollars?|gbp|pounds?|€|\$|£)`;
const MONEY = new RegExp(
  `${DIGITS}${CURRENCY}${END}|(?:^|[^\\p{L}])(?:lei|ron|eur|usd|gbp)\\s{0,3}\\d|[€$£]\\s{0,3}\\d`,
  'iu',
);
const SHORT_SPAN = `(?:min|mins|minute|minutes|minut|ore|ora|oră|h|hr|hrs|hour|hours|zi|zile|day|days|săptămână|săptămâni|saptamana|saptamani|week|weeks|lună|luna|luni|month|months)`;
const SPAN = new RegExp(
  `(?<!\\p{L})(?:${DIGITS}(?:${SHORT_SPAN}|an|ani|year|years)|${SPELLED}${SHORT_SPAN})${END}`,
  'iu',
);
/** Numbers of time that are not how long something takes: ages, experience, notice, opening times, how often. */
const NOT_A_SPAN = new RegExp(
  [
    String.raw`(?:under|over|from|below|above|aged|sub|peste|până\s{1,3}la|pana\s{1,3}la|de\s{1,3}la)\s{1,3}\d+\s{0,3}(?:de\s{1,3})?(?:years?|ani|luni|months?)`,
    String.raw`(?<!\d)\d+\s{0,3}(?:de\s{1,3})?(?:years?|ani)\s{0,3}(?:old|of\s{1,3}experience|de\s{1,3}experiență|de\s{1,3}experienta|experience|în\s{1,3}sus|in\s{1,3}sus|and\s{1,3}(?:over|older|up))`,
    String.raw`(?<!\d)\d+\s{0,3}-?\s{0,3}years?-old`,
    // A notice period: "48 hours before", "cu 24 de ore înainte".
    String.raw`(?<!\d)\d+\s{0,3}(?:de\s{1,3})?(?:h|hours?|ore|days?|zile)\s{0,3}(?:before|beforehand|in\s{1,3}advance|prior|înainte|inainte|în\s{1,3}avans|in\s{1,3}avans)`,
    String.raw`(?<!\d)\d+\s{0,3}(?:h|hours?|ore)\s{0,3}(?:a\s{1,3}day|per\s{1,3}day|pe\s{1,3}zi|din\s{1,3}24|\/\s{0,3}24|non-?stop)`,
    String.raw`(?:open|deschis\p{L}*)\s{1,3}\d+\s{0,3}(?:de\s{1,3})?(?:h|hours?|ore|days?|zile)(?:\s{0,3}(?:a|per|pe|din)\s{0,3}(?:day|week|zi|săptămână|saptamana|24|7))?`,
    String.raw`(?<!\d)\d+\s{0,3}(?:days?|zile)\s{0,3}(?:a|per|pe|din)\s{0,3}(?:week|săptămână|saptamana|7)`,
    String.raw`\d{1,2}(?::\d{2})?\s{0,3}h?\s{0,3}[-–]\s{0,3}\d{1,2}(?::\d{2})?\s{0,3}h`,
    String.raw`(?:once|twice|(?<!\d)\d+\s{0,3}times|(?<!\d)\d+\s{0,3}(?:de\s{1,3})?ori|o\s{1,3}dată|o\s{1,3}data)\s{1,3}(?:a|per|pe|on)\s{1,3}(?:day|week|month|zi|săptămână|saptamana|lună|luna)`,
  ].join('|'),
  'giu',
);

/** A span of days or weeks: how long until something is ready ("gata în 3 zile", "ready in 2 weeks"). */
const DAYS_SPAN = new RegExp(
  `(?<!\\p{L})(?:${DIGITS}|${SPELLED})(?:[-–]\\s{0,3}\\d+\\s{0,3})?(?:zi|zile|day|days|săptămână|săptămâni|saptamana|saptamani|week|weeks)(?:\\s{1,3}(?:lucrătoare|lucratoare|working|business))?${END}`,
  'iu',
);

/** The least an amount can be: "from 100 RON", "de la 50 lei", "minimum 200 RON", "starting at €20". */
const LEAST_AMOUNT = new RegExp(
  `(?<!\\p{L})(?:from|starting\\s{1,3}(?:at|from)|minimum(?:\\s{1,3}of)?|min\\.?|at\\s{1,3}least|de\\s{1,3}la|începând\\s{1,3}(?:de\\s{1,3}la|cu)|incepand\\s{1,3}(?:de\\s{1,3}la|cu)|minim(?:um)?)\\s{1,3}(?:${DIGITS}${CURRENCY}${END}|[€$£]\\s{0,3}\\d)`,
  'iu',
);

/** A measure of size, volume or weight: "350 ml", "20 cm", "1,5 l", "300 g". */
const MEASURE = new RegExp(
  `${DIGITS}(?:ml|cl|dl|l(?![-–]\\p{L})|litres?|liters?|litri|litru|cm|mm|kg|g|gr|grams?|grame|inch|inches|oz)${END}`,
  'iu',
);
// Words after which Romanian "mai" is "more", not May ("în mai multe culori", "din mai puține").
const MORE = String.raw`(?:mult\p{L}*|puțin\p{L}*|putin\p{L}*|bine|mare|mari|mic\p{L}*|departe|aproape|ales|târziu|tarziu|devreme|repede|ieftin\p{L}*|scump\p{L}*|des|rar|sus|jos|sigur|ușor|usor|greu|lung\p{L}*|scurt\p{L}*)(?!\p{L})`;
// "May" (the verb) and Romanian "mai" ("more") are months only after a number or a word such as "in",
// "from", "din", "până în".
const MONTH = new RegExp(
  [
    String.raw`(?<!\p{L})(?:${MONTH_NAMES.filter((m) => m !== 'may' && m !== 'mai').join('|')})(?!\p{L})`,
    String.raw`(?<!\p{L})(?:\d{1,2}(?:st|nd|rd|th)?|from|until|till|in|through|since)\s{1,3}may(?!\p{L})`,
    String.raw`(?<!\p{L})(?:\d{1,2}|din|în|in|până\s{1,3}în|pana\s{1,3}in|până\s{1,3}la|pana\s{1,3}la|luna|de\s{1,3}la)\s{1,3}mai(?!\p{L})(?!\s{1,3}${MORE})`,
  ].join('|'),
  'iu',
);

/** Words a number counts rather than a time of day ("la 3 zile", "from 3 years", "at 8 people"). */
const UNIT_WORD = String.raw`(?:(?:zile|zi|days?|ani|years?|luni|months?|weeks?|săptămâni|saptamani|ore|hours?|min\p{L}*|lei|ron|eur\p{L}*|persoane|people|oameni|kg|g|ml|l|cm|bucăți|bucati|pieces?|${MONTH_NAMES.join('|')})(?!\p{L})|[€$£])`;
/** A time of day: "12:00", "11am", "ora 18", "10h-18h", "la 10h" (a lone "2h" is a span). */
const CLOCK = new RegExp(
  [
    String.raw`(?<![\d:])(?:[01]?\d|2[0-3])(?::[0-5]\d\s{0,3}(?:am|pm)?|\s{0,3}(?:am|pm))(?!\p{L})`,
    String.raw`(?<!\p{L})(?:ora|orele|la|at|from|until|de\s{1,3}la|până\s{1,3}la|pana\s{1,3}la)\s{1,3}\d{1,2}(?:h(?!\p{L})|(?![\d\p{L}])(?!\s{0,3}(?:de\s{1,3})?${UNIT_WORD}))`,
    String.raw`\d{1,2}h?\s{0,3}[-–]\s{0,3}\d{1,2}h(?!\p{L})`,
  ].join('|'),
  'iu',
);

/** The intents a value written in a passage answers, as `valueTopics` names them. */
export const VALUE_INTENTS: ReadonlySet<string> = new Set([
  'price',
  'duration',
  'size',
  'which-days',
  'which-months',
  'clock',
]);

/** Pure: whether a text names a time of day, which a question shares with the passage that names one. */
export function namesClockTime(text: string): boolean {
  return CLOCK.test(text);
}

/**
 * Pure: the intents that a value written in the text answers: an amount of money "how much", a span
 * of time "how long", a measure "how big", named weekdays "which days", named months "which months",
 * and a time of day the time a question names.
 */
export function valueTopics(text: string): string[] {
  const spans = text.replace(NOT_A_SPAN, ' ');
  return [
    ...(MONEY.test(text) ? ['price'] : []),
    ...(LEAST_AMOUNT.test(text) ? ['minimum-order'] : []),
    ...(SPAN.test(spans) ? ['duration'] : []),
    ...(DAYS_SPAN.test(spans) ? ['waiting-time'] : []),
    ...(MEASURE.test(text) ? ['size'] : []),
    ...(lexicon.weekdaysIn(text).length ? ['which-days'] : []),
    ...(MONTH.test(text) ? ['which-months'] : []),
    ...(namesClockTime(text) ? ['clock'] : []),
  ];
}
