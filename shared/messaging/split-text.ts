/** Messenger's text limit, in characters. */
export const MESSENGER_TEXT_LIMIT = 2000;
/** Instagram's text limit, in UTF-8 bytes. */
export const INSTAGRAM_TEXT_LIMIT_BYTES = 1000;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });
const words = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

type Measure = (text: string) => number;
const chars: Measure = (t) => [...t].length;
const bytes: Measure = (t) => Buffer.byteLength(t, 'utf8');

/**
 * Splits a reply into parts the platform accepts: on sentences, then words, then characters; never inside a character.
 */
export function splitForPlatform(text: string, platform: 'messenger' | 'instagram'): string[] {
  return platform === 'instagram'
    ? splitText(text, INSTAGRAM_TEXT_LIMIT_BYTES, bytes)
    : splitText(text, MESSENGER_TEXT_LIMIT, chars);
}

export function splitText(text: string, limit: number, measure: Measure = chars): string[] {
  const trimmed = text.trim();
  if (measure(trimmed) <= limit) return trimmed ? [trimmed] : [];
  const parts: string[] = [];
  let current = '';
  const push = () => {
    if (current.trim()) parts.push(current.trim());
    current = '';
  };
  const pieces = (input: string, seg: Intl.Segmenter) => [...seg.segment(input)].map((s) => s.segment);
  for (const sentence of pieces(trimmed, segmenter)) {
    if (measure(current + sentence) <= limit) {
      current += sentence;
      continue;
    }
    push();
    if (measure(sentence) <= limit) {
      current = sentence;
      continue;
    }
    for (const word of pieces(sentence, words)) {
      if (measure(current + word) <= limit) {
        current += word;
        continue;
      }
      push();
      if (measure(word) <= limit) {
        current = word;
        continue;
      }
      for (const g of pieces(word, graphemes)) {
        if (measure(current + g) > limit) push();
        current += g;
      }
    }
  }
  push();
  return parts;
}
