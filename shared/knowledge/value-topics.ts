/**
 * What kind of value a free text holds, as the lexicon's intent ids: a passage that names an amount of
 * money answers "how much", one that names a span of time answers "how long", whatever words ask it.
 * Romanian puts "de" between a number from 20 up and its noun ("40 de lei", "24 de ore").
 */
const END = String.raw`(?!\p{L})`;
const DIGITS = String.raw`\d[\d.,]*\s*(?:de\s+)?`;
// Spelled-out amounts of time ("an hour", "half an hour", "o oră", "două săptămâni"); not of years, which are ages.
const SPELLED = String.raw`(?:an?|one|two|three|four|five|six|seven|eight|ten|twelve|half\s+an?|a\s+couple\s+of|a\s+few|o|un|una|două|doua|trei|patru|cinci|șase|sase|șapte|sapte|opt|zece|jumătate\s+de|jumatate\s+de|câteva|cateva)\s+`;
const CURRENCY = String.raw`(?:lei|ron|eur|euro|euros|usd|dollars?|gbp|pounds?|€|\$|£)`;
const MONEY = new RegExp(`${DIGITS}${CURRENCY}${END}|(?:^|[^\\p{L}])(?:lei|ron|eur|usd|gbp)\\s*\\d|[€$£]\\s*\\d`, 'iu');
const SHORT_SPAN = `(?:min|mins|minute|minutes|minut|ore|ora|oră|h|hr|hrs|hour|hours|zi|zile|day|days|săptămână|săptămâni|saptamana|saptamani|week|weeks|lună|luna|luni|month|months)`;
const SPAN = new RegExp(`(?:${DIGITS}(?:${SHORT_SPAN}|an|ani|year|years)|${SPELLED}${SHORT_SPAN})${END}`, 'iu');
/** Numbers of time that are not how long something takes: ages, experience, notice, opening times, how often. */
const NOT_A_SPAN = new RegExp(
  [
    String.raw`(?:under|over|from|below|above|aged|sub|peste|până\s+la|pana\s+la|de\s+la)\s+\d+\s*(?:de\s+)?(?:years?|ani|luni|months?)`,
    String.raw`\d+\s*(?:de\s+)?(?:years?|ani)\s*(?:old|of\s+experience|de\s+experiență|de\s+experienta|experience|în\s+sus|in\s+sus|and\s+(?:over|older|up))`,
    String.raw`\d+\s*-?\s*years?-old`,
    // A notice period: "48 hours before", "cu 24 de ore înainte".
    String.raw`\d+\s*(?:de\s+)?(?:h|hours?|ore|days?|zile)\s*(?:before|beforehand|in\s+advance|prior|înainte|inainte|în\s+avans|in\s+avans)`,
    String.raw`\d+\s*(?:h|hours?|ore)\s*(?:a\s+day|per\s+day|pe\s+zi|din\s+24|\/\s*24|non-?stop)`,
    String.raw`(?:open|deschis\p{L}*)\s+\d+\s*(?:de\s+)?(?:h|hours?|ore|days?|zile)(?:\s*(?:a|per|pe|din)\s*(?:day|week|zi|săptămână|saptamana|24|7))?`,
    String.raw`\d+\s*(?:days?|zile)\s*(?:a|per|pe|din)\s*(?:week|săptămână|saptamana|7)`,
    String.raw`\d{1,2}(?::\d{2})?\s*h?\s*[-–]\s*\d{1,2}(?::\d{2})?\s*h`,
    String.raw`(?:once|twice|\d+\s*times|\d+\s*(?:de\s+)?ori|o\s+dată|o\s+data)\s+(?:a|per|pe|on)\s+(?:day|week|month|zi|săptămână|saptamana|lună|luna)`,
  ].join('|'),
  'giu',
);

/** Pure: the intents ('price', 'duration') that a value written in the text answers. */
export function valueTopics(text: string): string[] {
  const spans = text.replace(NOT_A_SPAN, ' ');
  return [...(MONEY.test(text) ? ['price'] : []), ...(SPAN.test(spans) ? ['duration'] : [])];
}
