import { countrySpecs, isValidBBAN, isValidIBAN } from 'ibantools';
import { MONTH_NAMES } from './month-names.js';

/**
 * Pure: removes the personal data a reply never needs from a text before it goes to a model
 * (§13, Art. 5(1)(c)): e-mail addresses, IBANs, card-like numbers (Luhn), phone numbers in
 * international and local (Romanian, British, North American) formats, and names people give
 * for themselves ("my name is …", "mă numesc …", "sunt …" where it is clearly a name).
 *
 * It errs on the side of removing: a false positive costs a few words of context, a miss sends
 * personal data to a sub-processor. Each kind is replaced by a fixed placeholder, so the model
 * still sees that something was there, and running it twice changes nothing.
 */
export type RedactionKind = 'email' | 'iban' | 'card' | 'phone' | 'name';

export const PLACEHOLDERS: Readonly<Record<RedactionKind, string>> = {
  email: '[email]',
  iban: '[iban]',
  card: '[card]',
  phone: '[phone]',
  name: '[name]',
};

export interface Redaction {
  text: string;
  /** How many of each kind were removed (never the values themselves). */
  counts: Record<RedactionKind, number>;
}

/** The text with every recognised piece of personal data replaced by its placeholder. */
export function redactText(text: string): string {
  return redact(text).text;
}

/** Earlier turns of a conversation with their texts redacted (the other fields are kept). */
export function redactHistory<T extends { text?: string | undefined }>(messages: T[]): T[] {
  return messages.map((m) => (m.text ? { ...m, text: redactText(m.text) } : m));
}

export function redact(text: string): Redaction {
  const counts: Record<RedactionKind, number> = { email: 0, iban: 0, card: 0, phone: 0, name: 0 };
  // Order matters: e-mails and IBANs hold digits the number pass would otherwise split.
  let out = text.replace(EMAIL, () => {
    counts.email++;
    return PLACEHOLDERS.email;
  });
  out = out.replace(IBAN_CANDIDATE, (match: string) => {
    const found = ibanPrefix(match);
    if (found === undefined) return match;
    counts.iban++;
    return PLACEHOLDERS.iban + match.slice(found);
  });
  out = redactNumbers(out, counts);
  out = redactNames(out, counts);
  return { text: out, counts };
}

// ---------------------------------------------------------------------------------------------
// E-mail addresses: the RFC 5322 "atext" local part, a dotted domain with a letter TLD.
const EMAIL = /[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

// ---------------------------------------------------------------------------------------------
// IBANs: a country code, two check digits and the national part, compact or in groups of four.
const IBAN_CANDIDATE = /(?<![\p{L}\p{N}])[A-Za-z]{2}\d{2}(?:[ \u00a0-]?[A-Za-z0-9]){10,32}/gu;

/**
 * The length of the leading part of `candidate` that is an IBAN, or undefined. The country's
 * IBAN length decides where it ends (the regex may have run into the next word). A typo in the
 * check digits still counts when the national part has the country's shape: it is still an
 * account number.
 */
function ibanPrefix(candidate: string): number | undefined {
  const country = candidate.slice(0, 2).toUpperCase();
  const length = countrySpecs[country]?.chars;
  if (!length) return undefined;
  let compact = '';
  let end = 0;
  for (; end < candidate.length && compact.length < length; end++) {
    const ch = candidate[end] as string;
    if (/[A-Za-z0-9]/.test(ch)) compact += ch.toUpperCase();
  }
  if (compact.length < length) return undefined;
  const next = candidate[end];
  if (next !== undefined && /[A-Za-z0-9]/.test(next)) return undefined;
  if (isValidIBAN(compact) || isValidBBAN(compact.slice(4), country)) return end;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Numbers: runs of digits joined by the separators people type inside phone and card numbers.

interface DigitRun {
  start: number;
  end: number;
  digits: string;
  /** '+' right before: the international prefix. */
  plus: boolean;
  /** What separates this run from the previous one in the chain ('' for the first). */
  gap: string;
}

const RUN = /\d+/g;
const GAP = /^[ \u00a0().\-/]{1,3}$/;

/** Digit runs chained by short separator gaps ("0722 123 456", "+40 (21) 123-45-67"). */
function chains(text: string): DigitRun[][] {
  const out: DigitRun[][] = [];
  let chain: DigitRun[] = [];
  let last: DigitRun | undefined;
  for (const m of text.matchAll(RUN)) {
    const start = m.index;
    const end = start + m[0].length;
    const plus = text[start - 1] === '+';
    const gap = last ? text.slice(last.end, plus ? start - 1 : start) : '';
    const joined = last !== undefined && GAP.test(gap) && (gap.match(/[.\-/]/g) ?? []).length <= 1 && !plus;
    const run: DigitRun = { start: plus ? start - 1 : start, end, digits: m[0], plus, gap: joined ? gap : '' };
    if (!joined) {
      if (chain.length) out.push(chain);
      chain = [];
    }
    // A run glued to a letter ("A0722…", "ID12") is a code, not the start of a number.
    const glued = /[\p{L}_]$/u.test(text.slice(0, run.start));
    if (glued && chain.length === 0) {
      last = undefined;
      continue;
    }
    chain.push(run);
    last = run;
  }
  if (chain.length) out.push(chain);
  return out;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function isCard(runs: DigitRun[], digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  if (runs.slice(1).some((r) => !/^[ \u00a0-]$/.test(r.gap))) return false;
  return luhn(digits);
}

/** The punctuation inside a window: a phone uses one kind of dot, dash or slash, never two. */
function consistentSeparators(runs: DigitRun[]): boolean {
  const marks = new Set(runs.slice(1).flatMap((r) => r.gap.match(/[.\-/]/g) ?? []));
  return marks.size <= 1;
}

function isPhone(runs: DigitRun[], digits: string): boolean {
  if (!consistentSeparators(runs)) return false;
  const first = runs[0] as DigitRun;
  if (first.plus) return digits.length >= 8 && digits.length <= 15 && digits[0] !== '0';
  if (digits.startsWith('00')) return digits.length >= 10 && digits.length <= 17;
  // A national number with its trunk 0: Romania (10 digits), the UK (10 or 11), most of Europe.
  if (digits.startsWith('0')) return digits.length >= 9 && digits.length <= 11;
  const shape = runs.map((r) => r.digits.length).join('-');
  // North American numbers: (555) 123-4567, 555-123-4567, 1 555 123 4567.
  if ((shape === '3-3-4' && /^[2-9]/.test(digits)) || (shape === '1-3-3-4' && digits[0] === '1')) return true;
  // Romanian mobiles typed without the trunk 0: 722 123 456.
  return shape === '3-3-3' && digits[0] === '7';
}

/** "(0722) 123 456" and "(+40) 722…": a bracket opened or closed inside the number belongs to it. */
function withBrackets(text: string, start: number, end: number, kind: RedactionKind) {
  const inside = text.slice(start, end);
  const open = inside.split('(').length - 1;
  const close = inside.split(')').length - 1;
  if (close > open && text[start - 1] === '(') return { start: start - 1, end, kind };
  if (open > close && text[end] === ')') return { start, end: end + 1, kind };
  return { start, end, kind };
}

function redactNumbers(text: string, counts: Record<RedactionKind, number>): string {
  const cuts: Array<{ start: number; end: number; kind: RedactionKind }> = [];
  for (const chain of chains(text)) {
    let i = 0;
    while (i < chain.length) {
      let matched = false;
      // Longest window first, so "+40 722 123 456" is one phone, not "+40 722" and the rest.
      for (let j = Math.min(chain.length - 1, i + 7); j >= i; j--) {
        const runs = chain.slice(i, j + 1);
        const digits = runs.map((r) => r.digits).join('');
        const intl = runs[0]?.plus === true || digits.startsWith('00');
        const kind: RedactionKind | undefined =
          intl && isPhone(runs, digits)
            ? 'phone'
            : isCard(runs, digits)
              ? 'card'
              : isPhone(runs, digits)
                ? 'phone'
                : undefined;
        if (!kind) continue;
        cuts.push(withBrackets(text, (runs[0] as DigitRun).start, (runs.at(-1) as DigitRun).end, kind));
        i = j + 1;
        matched = true;
        break;
      }
      if (!matched) i++;
    }
  }
  let out = '';
  let at = 0;
  for (const cut of cuts) {
    const { start } = cut;
    out += text.slice(at, start) + PLACEHOLDERS[cut.kind];
    counts[cut.kind]++;
    at = cut.end;
  }
  return out + text.slice(at);
}

// ---------------------------------------------------------------------------------------------
// Names people give for themselves.

const WORD = "\\p{L}[\\p{L}'’-]*";

/** Words that follow an introduction but are not names (function words, common verbs, days). */
const NOT_NAMES = new Set(
  [
    // English
    'a',
    'an',
    'the',
    'and',
    'or',
    'but',
    'i',
    'im',
    'me',
    'my',
    'from',
    'here',
    'and',
    'to',
    'in',
    'at',
    'on',
    'of',
    'with',
    'for',
    'is',
    'am',
    'are',
    'was',
    'not',
    'so',
    'also',
    'just',
    'very',
    'really',
    'want',
    'wanted',
    'would',
    'need',
    'like',
    'have',
    'had',
    'looking',
    'interested',
    'writing',
    'calling',
    'trying',
    'going',
    'sorry',
    'glad',
    'happy',
    'sure',
    'new',
    'back',
    'still',
    'available',
    'coming',
    'asking',
    'wondering',
    'booked',
    'late',
    'ready',
    'free',
    'busy',
    'fine',
    'ok',
    'okay',
    'good',
    'thanks',
    'thank',
    'hoping',
    'your',
    'you',
    'can',
    'could',
    'will',
    'please',
    'what',
    'how',
    'when',
    'where',
    'who',
    'why',
    'there',
    'this',
    'that',
    'it',
    'hi',
    'hello',
    // Romanian
    'și',
    'si',
    'sau',
    'dar',
    'eu',
    'din',
    'de',
    'la',
    'în',
    'in',
    'pe',
    'cu',
    'și',
    'că',
    'ca',
    'nu',
    'am',
    'aș',
    'as',
    'vreau',
    'doresc',
    'aici',
    'acasă',
    'acasa',
    'interesat',
    'interesată',
    'interesata',
    'clientă',
    'clienta',
    'client',
    'clientul',
    'nou',
    'nouă',
    'noua',
    'bine',
    'sigur',
    'sigură',
    'sigura',
    'disponibil',
    'disponibilă',
    'disponibila',
    'curios',
    'curioasă',
    'curioasa',
    'o',
    'un',
    'una',
    'foarte',
    'deja',
    'încă',
    'inca',
    'gata',
    'liber',
    'liberă',
    'ocupat',
    'ocupată',
    'aceeași',
    'aceeasi',
    'tot',
    'toți',
    'toate',
    'mai',
    'ce',
    'cum',
    'când',
    'cand',
    'unde',
    'cine',
    'de',
    'aia',
    'ăla',
    'ala',
    'asta',
    'acolo',
    'mulțumesc',
    'multumesc',
    'salut',
    'bună',
    'buna',
    // Days and months (capitalised in English, sometimes in Romanian)
    'monday',
    'tuesday',
    'wednesday',
    'thursday',
    'friday',
    'saturday',
    'sunday',
    'luni',
    'marți',
    'marti',
    'miercuri',
    'joi',
    'vineri',
    'sâmbătă',
    'sambata',
    'duminică',
    'duminica',
    ...MONTH_NAMES,
  ].map((w) => w.normalize('NFC')),
);

function isNameWord(word: string): boolean {
  return !NOT_NAMES.has(word.toLowerCase().normalize('NFC'));
}

function capitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}

/** Introductions that are always followed by a name, in any case. */
const STRONG = new RegExp(
  `(?<![\\p{L}])(my name is|my name's|my name’s|name's|call me|mă numesc|ma numesc|mǎ numesc|numele meu este|numele meu e|mă cheamă|ma cheama|mă cheama|ma cheamă)((?:[ \\u00a0]+${WORD}){1,3})`,
  'giu',
);
/** Introductions that name someone only when a capitalised word follows at the start of a sentence. */
const WEAK = new RegExp(
  `((?:^|[.!?,;:\\n]|\\b(?:hi|hello|hey|salut|bună|buna|bună ziua|buna ziua|neața|neata))[ \\u00a0]*(?:i am|i'm|i’m|this is|eu sunt|sunt|aici e|aici este))((?:[ \\u00a0]+${WORD}){1,3})`,
  'giu',
);

/** How many of the words after an introduction form the name, or 0 when none does. */
function nameLength(words: string[], strong: boolean): number {
  const first = words[0];
  if (first === undefined || !isNameWord(first)) return 0;
  if (!strong && !capitalised(first)) return 0;
  let n = 1;
  for (const word of words.slice(1)) {
    if (!isNameWord(word)) break;
    // "Ana Popescu" or, when typed all in lowercase, "ana popescu": a surname follows in the same case.
    if (capitalised(word) !== capitalised(first)) break;
    n++;
  }
  return n;
}

function replaceName(prefix: string, tail: string, strong: boolean, counts: Record<RedactionKind, number>): string {
  const parts = tail.split(/([ \u00a0]+)/).filter((p) => p !== '');
  const words = parts.filter((_, i) => i % 2 === 1);
  const n = nameLength(words, strong);
  if (n === 0) return prefix + tail;
  counts.name++;
  // parts alternate space, word, space, word…; keep the first space, drop the n name words.
  const rest = parts.slice(2 * n).join('');
  return `${prefix}${parts[0]}${PLACEHOLDERS.name}${rest}`;
}

function redactNames(text: string, counts: Record<RedactionKind, number>): string {
  const strong = text.replace(STRONG, (_m, intro: string, tail: string) => replaceName(intro, tail, true, counts));
  return strong.replace(WEAK, (_m, intro: string, tail: string) => replaceName(intro, tail, false, counts));
}
