import { asksKindOnly, lexiconConcepts, saysNothing } from '../knowledge/index.js';

/**
 * A question opener: a clause that starts with one asks ("do you do house calls", "cât costă tunsul"), and a
 * clause after "and"/"și" that starts with one asks anew, where "and" between two things ("a cut and a colour")
 * does not.
 */
const OPENER = new RegExp(
  [
    // An English auxiliary asks only before its subject: "and do you…", never "and would love to…".
    String.raw`^(?:do|does|did|can|could|may|should|is|are|will|would|have|has)\s+(?:you|u|ya|i|we|they|it|there|he|she|my|our|your|the|a|an|this|that|these|those)(?!\p{L})`,
    String.raw`^(?:any|what|which|how|where|when|pot|putem|poți|poti|puteți|puteti|se poate|aveți|aveti|faceți|faceti|vindeți|vindeti|oferiți|oferiti|acceptați|acceptati|există|exista|cât|cat|câte|cate|ce|care|cum|când|cand|unde)(?!\p{L})`,
    // "… și până la ce oră pot comanda?", "… and until what time…": a time asked anew.
    String.raw`^(?:până|pana|de)\s+(?:la\s+)?(?:ce|când|cand|cât|cat)(?!\p{L})`,
    String.raw`^(?:until|till|by)\s+(?:what|when)(?!\p{L})`,
  ].join('|'),
  'iu',
);
/**
 * "and is delivery free?", "și e nevoie de…?": after a question, "is"/"are"/"e" before a thing asks of that thing.
 * After a statement ("the flat is small and is close to…") it only goes on telling. One word and the question mark
 * ask too, whatever the word ("… și e online?", "… și e gata?").
 */
const COPULA =
  /^(?:is|are|e|este|sunt)\s+(?:(?!(?:not|very|so|too|also|still|already|always|really|quite|ready|done|open|closed|nu|foarte|prea|tot|deja|mereu|chiar|gata|deschis|închis|inchis)(?!\p{L}))\p{L}{3,}\s+\p{L}|\p{L}{3,}\s*\?)/iu;
/** The business spoken to: "you", "sunteți", "vă", "voi". */
const YOU = /(?<!\p{L})(?:you|u|ya|sunte[țţt]i|v[ăa]|voi)(?!\p{L})/iu;
/** A greeting before a question ("Hi, how much…", "Bună ziua, cât costă…"). */
const GREETING =
  /^[^\p{L}]*(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|bun[ăa](?:\s+(?:ziua|seara|dimineața|dimineata))?|salut|neața|neata)(?!\p{L})[^\p{L}]*/iu;
const JOIN = /,?\s+(?:and|also|plus|și|si|iar)\s+(?=\S)/giu;

/**
 * Pure: the questions a message asks, in order: its sentences, and clauses joined by "and"/"și" when the
 * next one opens a question of its own. A sentence asks when it ends with a question mark, or, without a
 * full stop or "!", when a clause of it opens with a question word: "What a lovely salon!" and "manichiura
 * știu că e 110" tell, they do not ask. A clause that names nothing ("Good afternoon") is left out, and one
 * that asks only for a value ("how much?", "cât costă?") belongs to the clause before it.
 */
export function questionParts(text: string): string[] {
  const pieces = text
    .split(/(?<=[.?!])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence && asks(sentence))
    .flatMap((sentence) => splitAtOpeners(sentence))
    .map((p) => p.trim())
    .filter((p) => !saysNothing(p));
  const parts: string[] = [];
  for (const piece of pieces) {
    const previous = parts.at(-1);
    if (previous !== undefined && belongsTo(piece, previous)) parts[parts.length - 1] = `${previous} ${piece}`;
    else parts.push(piece);
  }
  return parts;
}

/**
 * "how much?" after "do you do gel nails?" asks the gel nails' price, and "și la voi la salon?" only points back. Not
 * after a question that itself names only what it asks ("what time do you open on Sunday and where is it?"), nor when
 * it asks something of the business ("and where is the shop?"): each of those asks a fact of its own.
 */
function belongsTo(piece: string, previous: string): boolean {
  const concepts = lexiconConcepts(piece);
  // "and where are you?" asks where the business is; "where is it?" points back at the thing before.
  const ofBusiness =
    (concepts.includes('where') && YOU.test(piece)) ||
    (concepts.includes('premises') && concepts.some((c) => c !== 'premises' && c !== 'offer'));
  return asksKindOnly(piece) && !asksKindOnly(previous) && !ofBusiness;
}

function asks(sentence: string): boolean {
  if (/\?[\s\p{Extended_Pictographic}]*$/u.test(sentence)) return true;
  if (/[.!][\s\p{Extended_Pictographic}]*$/u.test(sentence)) return false;
  return splitAtOpeners(sentence).some((clause) => OPENER.test(clause.replace(/^[^\p{L}]+/u, '')));
}

function splitAtOpeners(sentence: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of sentence.matchAll(JOIN)) {
    const after = (m.index ?? 0) + m[0].length;
    const next = sentence.slice(after);
    if (!OPENER.test(next) && !(COPULA.test(next) && OPENER.test(sentence.slice(start).replace(GREETING, ''))))
      continue;
    out.push(sentence.slice(start, m.index));
    start = after;
  }
  out.push(sentence.slice(start));
  return out;
}
