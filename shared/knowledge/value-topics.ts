/**
 * What kind of value a free text holds, as the lexicon's intent ids: a passage that names an amount of
 * money answers "how much", one that names a span of time answers "how long", whatever words ask it.
 * Romanian puts "de" between a number from 20 up and its noun ("40 de lei", "24 de ore").
 */
const NUMBER = String.raw`\d[\d.,]*\s*(?:de\s+)?`;
const END = String.raw`(?!\p{L})`;
const MONEY = new RegExp(`${NUMBER}(?:lei|ron|eur|euro|euros|usd|gbp|€|\\$|£)${END}|[€$£]\\s*\\d`, 'iu');
const SPAN = new RegExp(
  `${NUMBER}(?:min|mins|minute|minutes|minut|ore|ora|oră|h|hr|hrs|hour|hours|zi|zile|day|days|săptămână|săptămâni|saptamani|week|weeks|lună|luni|month|months|an|ani|year|years)${END}`,
  'iu',
);

/** Pure: the intents ('price', 'duration') that a value written in the text answers. */
export function valueTopics(text: string): string[] {
  return [...(MONEY.test(text) ? ['price'] : []), ...(SPAN.test(text) ? ['duration'] : [])];
}
