import { asksKindOnly, saysNothing } from '../knowledge/index.js';

/**
 * A question opener after "and" or "și": the clause after it asks anew ("… and do you do house calls?"),
 * where "and" between two things ("a cut and a colour") does not.
 */
const OPENER =
  /^(?:do|does|did|can|could|may|should|is|are|will|would|have|has|any|what|which|how|where|when|pot|putem|poți|poti|puteți|puteti|se poate|aveți|aveti|faceți|faceti|vindeți|vindeti|oferiți|oferiti|acceptați|acceptati|există|exista|cât|cat|câte|cate|ce|care|cum|când|cand|unde)(?!\p{L})/iu;
const JOIN = /,?\s+(?:and|also|plus|și|si|iar)\s+(?=\S)/giu;

/**
 * Pure: the questions a message asks, in order: its sentences, and clauses joined by "and"/"și" when the
 * second opens a question of its own. A part that names nothing ("Good afternoon.") or asks nothing (no
 * question mark, no question word first) is left out, and one that asks only for a value ("how much?", "cât
 * costă?") belongs to the part before it.
 */
export function questionParts(text: string): string[] {
  const pieces = text
    .split(/(?<=[.?!])\s+|\n+/)
    .flatMap((sentence) => splitAtOpeners(sentence))
    .map((p) => p.trim())
    .filter((p) => !saysNothing(p));
  const parts: string[] = [];
  for (const piece of pieces) {
    if (asksKindOnly(piece) && parts.length) parts[parts.length - 1] += ` ${piece}`;
    else parts.push(piece);
  }
  // "Manichiura știu că e 110" tells, it does not ask.
  return parts.filter((p) => /\?\s*$/.test(p) || OPENER.test(p));
}

function splitAtOpeners(sentence: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of sentence.matchAll(JOIN)) {
    const after = (m.index ?? 0) + m[0].length;
    if (!OPENER.test(sentence.slice(after))) continue;
    out.push(sentence.slice(start, m.index));
    start = after;
  }
  out.push(sentence.slice(start));
  return out;
}
