import beauty from './lexicon/beauty.json' with { type: 'json' };
import everyday from './lexicon/everyday.json' with { type: 'json' };
import food from './lexicon/food.json' with { type: 'json' };
import health from './lexicon/health.json' with { type: 'json' };
import retail from './lexicon/retail.json' with { type: 'json' };
import services from './lexicon/services.json' with { type: 'json' };
import trades from './lexicon/trades.json' with { type: 'json' };
import {
  detectLanguage,
  FUNCTION_WORDS,
  fold,
  hasMarks,
  keepsMarks,
  lostRomanianS,
  markedStem,
  romanianStem,
  STOPWORDS,
  stem,
  WORD,
  words,
} from './text.js';

type Lang = 'en' | 'ro';

/** Words that may stand between the words of a phrase ("send it back"). */
const MAX_GAP = 2;
/**
 * Words that join two things: a phrase is never read across them ("a facial and hair straightening").
 * Romanian "și" is left out, as it is "also" as often as "and" ("mâncarea vine și acasă?").
 */
const CONJUNCTIONS = new Set(['and', 'or', 'but', 'nor', 'sau', 'ori', 'dar', 'iar']);

/** A text as words (as written, folded, stemmed) and where punctuation ends a stretch. */
interface ReadText {
  original: string[];
  folded: string[];
  seq: string[];
  /** Whether punctuation (. , ; : ! ?) follows the word at this position. */
  breakAfter: boolean[];
}

function readText(text: string): ReadText {
  const composed = text.normalize('NFC');
  const found = [...composed.matchAll(WORD)];
  const original = found.map((m) => m[0].toLowerCase());
  const folded = original.map(fold);
  const breakAfter = found.map((m, k) => {
    const next = found[k + 1];
    return next !== undefined && /[.,;:!?]/.test(composed.slice((m.index ?? 0) + m[0].length, next.index));
  });
  return { original, folded, seq: folded.map(stem), breakAfter };
}

/** Words that count: "luni" after one is a number of months ("de 9 luni", "câteva luni"), not Monday. */
const COUNT_WORDS = new Set([
  'doua',
  'trei',
  'patru',
  'cinci',
  'sase',
  'sapte',
  'opt',
  'noua',
  'zece',
  'cateva',
  'multe',
]);

/** Romanian endings a borrowed word takes: the article and the plural ("showroomul", "voucherurile"). */
const RO_ENDINGS = ['ul', 'ului', 'uri', 'urile', 'urilor'];

/** One concept of the bilingual lexicon: words and phrases that mean the same thing in English or Romanian. */
export interface Concept {
  id: string;
  /** An intent ("how much", "how long") says what kind of thing is asked, not which thing. */
  kind: 'intent' | 'topic';
  en: string[];
  ro: string[];
  /**
   * Matched only in its listed forms, never by stem, and then it is the only reading of the word: "parcul" (the park)
   * is not parking, though "parc" is the stem of "parcare".
   */
  asListed?: boolean;
}

/** A domain file of the lexicon (beauty, health, food…): more concepts, same shape. */
export interface LexiconPart {
  about?: string;
  concepts: Concept[];
  /**
   * What a customer who mentions one topic is most often asking about: a symptom its treatment, a body
   * part the service done on it, an object the policy that governs it ("cracked heels" a pedicure).
   */
  related?: Record<string, string[]>;
  /**
   * A class and its kinds, which exclude each other: "pisică" is a pet and a cat, so a passage about a dog shares
   * "pet" with it, but is not about a cat. `{ "pets": ["dog", "cat"] }`.
   */
  contrasts?: Record<string, string[]>;
}

export interface LexiconData extends LexiconPart {
  weekdays: { en: string[][]; ro: string[][] };
  weekdayAbbreviations: { en: string[][]; ro: string[][] };
  weekdayGroups: Record<string, { days: number[]; en: string[]; ro: string[] }>;
  /** Holidays: the phrases that name one, and how a reply names it in each language (`names`). */
  holidays: Array<{ id: string; en: string[]; ro: string[]; names: { en: string; ro: string } }>;
  fillers: { en: string[]; ro: string[] };
  /** Greetings and thanks, read as nothing. */
  greetings: { en: string[]; ro: string[] };
  /** Concepts that are two others at once ("shipping-cost" is delivery and a price). */
  compounds: { about?: string; of: Record<string, string[]> };
}

/** A matched stretch of text: the words it covers and the keys (concept ids) it stands for. */
export interface Unit {
  /** The word stems of the stretch, so a passage sharing the very word also matches. */
  stems: string[];
  /** The words of the stretch as written (lower case). */
  words: string[];
  concepts: string[];
  intent: boolean;
}

/** Folded and stemmed, stop words kept: phrases such as "how much" need their little words. */
export function stemSequence(text: string): string[] {
  return words(text).map((w) => stem(fold(w)));
}

/** How a concept is written at one entry: its folded and exact spellings, and in which languages. */
interface Sense {
  surfaces: Set<string>;
  /** Its folded spellings, each with its language ("ro:cat" never, as "cat" is listed in English only). */
  surfacesIn: Set<string>;
  written: Set<string>;
  langs: Set<Lang>;
  /** Stems of its one-word spellings, diacritics kept. */
  marked: Set<string>;
  /** Its spellings of several words: each word folded, its stem with diacritics kept, and whether it had any. */
  markedPhrases: Array<Array<{ folded: string; stem: string; marked: boolean }>>;
  /** Matched only in its listed forms, never by stem (weekdays: "lună", a month, is not "luni", Monday). */
  asListed: boolean;
}

/** The id greetings compile to: a stretch matched by one is dropped, not a unit. */
const GREETING = '#greeting';

/** A concept's id, its names, and whether it matches only in its listed forms. */
type ListedConcept = [string, { en: string[]; ro: string[] }, boolean];

/** The phrases by their first stem, longest first, and the filler words (stems, and folded as written). */
interface Compiled {
  byFirst: Map<string, Entry[]>;
  /** One-word spellings written with diacritics, and the concepts they are listed in. */
  markedWords: Map<string, Set<string>>;
  fillers: Set<string>;
  fillerWords: Set<string>;
}

interface Entry {
  stems: string[];
  senses: Map<string, Sense>;
}

/**
 * Pure: the shipped base with domain parts added. Concepts of the same id are joined (a domain file may
 * add synonyms to an everyday concept); the same id with two kinds is refused, as it would be two meanings.
 */
export function mergeLexicon(base: LexiconData, parts: LexiconPart[]): LexiconData {
  const byId = new Map(base.concepts.map((c) => [c.id, { ...c, en: [...c.en], ro: [...c.ro] }]));
  const related: Record<string, string[]> = {};
  const contrasts: Record<string, string[]> = {};
  for (const part of [base, ...parts]) {
    for (const [from, to] of Object.entries(part.related ?? {}))
      related[from] = [...new Set([...(related[from] ?? []), ...to])];
    for (const [from, to] of Object.entries(part.contrasts ?? {}))
      contrasts[from] = [...new Set([...(contrasts[from] ?? []), ...to])];
  }
  for (const part of parts)
    for (const c of part.concepts) {
      const known = byId.get(c.id);
      if (!known) byId.set(c.id, { ...c, en: [...c.en], ro: [...c.ro] });
      else if (known.kind !== c.kind) throw new Error(`Lexicon: concept ${c.id} is both ${known.kind} and ${c.kind}`);
      else if (Boolean(known.asListed) !== Boolean(c.asListed))
        throw new Error(`Lexicon: concept ${c.id} is listed two ways (asListed)`);
      else {
        known.en.push(...c.en.filter((p) => !known.en.includes(p)));
        known.ro.push(...c.ro.filter((p) => !known.ro.includes(p)));
      }
    }
  return { ...base, concepts: [...byId.values()], related, contrasts };
}

/**
 * The lexicon compiled for matching: phrases by their first stem, longest first. A bad entry (empty
 * phrase, unknown kind) is refused at load so the data cannot rot silently.
 */
export class Lexicon {
  private readonly kinds = new Map<string, 'intent' | 'topic'>();
  private compiled?: Compiled;

  /** Checks the data at once; the phrases are stemmed on first use, so a process that never matches text pays nothing. */
  constructor(readonly data: LexiconData) {
    const check = (id: string, names: { en: string[]; ro: string[] }) => {
      for (const phrase of [...names.en, ...names.ro])
        if (words(phrase).length === 0) throw new Error(`Lexicon: empty phrase in ${id}`);
    };
    for (const c of data.concepts) {
      if (c.kind !== 'intent' && c.kind !== 'topic') throw new Error(`Lexicon: concept ${c.id} has no kind`);
      if (c.en.length === 0 || c.ro.length === 0) throw new Error(`Lexicon: concept ${c.id} needs both languages`);
      check(c.id, c);
      this.kinds.set(c.id, c.kind);
    }
    for (const [id, names] of this.calendar()) {
      check(id, names);
      this.kinds.set(id, 'topic');
    }
    for (const h of data.holidays)
      if (!h.names?.en?.trim() || !h.names?.ro?.trim())
        throw new Error(`Lexicon: holiday ${h.id} needs a name in both languages`);
    check('fillers', data.fillers);
    check('greetings', data.greetings);
    for (const [id, parts] of Object.entries(data.compounds.of))
      for (const part of [id, ...parts])
        if (!this.kinds.has(part)) throw new Error(`Lexicon: compound ${id} names unknown concept ${part}`);
    for (const [from, to] of Object.entries(data.related ?? {})) {
      const wrong = [from, ...to].find((id) => this.kinds.get(id) !== 'topic');
      if (wrong) throw new Error(`Lexicon: relation ${from} names ${wrong}, which is not a topic`);
      if (to.includes(from)) throw new Error(`Lexicon: relation ${from} names itself`);
    }
    for (const [of, kinds] of Object.entries(data.contrasts ?? {})) {
      const wrong = [of, ...kinds].find((id) => this.kinds.get(id) !== 'topic');
      if (wrong) throw new Error(`Lexicon: contrast ${of} names ${wrong}, which is not a topic`);
      if (kinds.length < 2 || kinds.includes(of))
        throw new Error(`Lexicon: contrast ${of} needs two kinds other than itself`);
    }
  }

  /** The classes whose kinds exclude each other (`contrasts` in the data), with their kinds: pets, dogs and cats. */
  contrastClasses(): Array<[string, string[]]> {
    return Object.entries(this.data.contrasts ?? {});
  }

  /** The topics a customer who mentions this one is most often asking about (`related` in the data). */
  relatedTo(conceptId: string): string[] {
    return this.data.related?.[conceptId] ?? [];
  }

  /**
   * The weekday, weekday-group and holiday concepts, built from their own sections of the data. A
   * weekday has few forms and all are listed, so it matches only as listed.
   */
  private calendar(): ListedConcept[] {
    const d = this.data;
    return [
      ...[0, 1, 2, 3, 4, 5, 6].map(
        (day): ListedConcept => [`day:${day}`, { en: d.weekdays.en[day] ?? [], ro: d.weekdays.ro[day] ?? [] }, true],
      ),
      ...Object.entries(d.weekdayGroups).map(([id, g]): ListedConcept => [`days:${id}`, g, false]),
      ...d.holidays.map((h): ListedConcept => [`holiday:${h.id}`, h, false]),
    ];
  }

  private get c(): Compiled {
    this.compiled ??= this.compile();
    return this.compiled;
  }

  private compile(): Compiled {
    const entries = new Map<string, Entry>();
    const markedWords = new Map<string, Set<string>>();
    const add = (phrase: string, id: string, lang: Lang, asListed: boolean) => {
      const stems = stemSequence(phrase);
      const key = stems.join(' ');
      const entry = entries.get(key) ?? { stems, senses: new Map<string, Sense>() };
      const sense = entry.senses.get(id) ?? {
        surfaces: new Set(),
        surfacesIn: new Set(),
        written: new Set(),
        langs: new Set(),
        marked: new Set(),
        markedPhrases: [],
        asListed,
      };
      sense.surfaces.add(fold(phrase));
      sense.surfacesIn.add(`${lang}:${fold(phrase)}`);
      sense.written.add(phrase.toLowerCase());
      sense.langs.add(lang);
      if (stems.length > 1)
        sense.markedPhrases.push(
          words(phrase).map((w) => ({ folded: fold(w), stem: markedStem(w), marked: hasMarks(w) })),
        );
      else {
        sense.marked.add(markedStem(phrase));
        const word = phrase.trim().toLowerCase();
        if (hasMarks(word)) markedWords.set(word, new Set([...(markedWords.get(word) ?? []), id]));
      }
      entry.senses.set(id, sense);
      entries.set(key, entry);
    };
    const all = [
      ...this.data.concepts.map((c): ListedConcept => [c.id, c, c.asListed === true]),
      ...this.calendar(),
      // Only as listed: "mersi" must not swallow "mere" (apples) by its stem.
      [GREETING, this.data.greetings, true] as ListedConcept,
    ];
    for (const [id, names, asListed] of all) {
      for (const n of names.en) add(n, id, 'en', asListed);
      for (const n of names.ro) add(n, id, 'ro', asListed);
    }
    const byFirst = new Map<string, Entry[]>();
    for (const entry of entries.values()) {
      const first = entry.stems[0] as string;
      const list = byFirst.get(first) ?? [];
      list.push(entry);
      byFirst.set(first, list);
    }
    for (const list of byFirst.values()) list.sort((a, b) => b.stems.length - a.stems.length);
    const fillers = [...this.data.fillers.en, ...this.data.fillers.ro];
    return {
      byFirst,
      markedWords,
      fillers: new Set(fillers.flatMap(stemSequence)),
      fillerWords: new Set(fillers.map(fold)),
    };
  }

  kindOf(conceptId: string): 'intent' | 'topic' {
    return this.kinds.get(conceptId) ?? 'topic';
  }

  /** Whether any phrase of the lexicon stands for this concept (so its absence from a tenant means something). */
  knows(conceptId: string): boolean {
    return this.kinds.has(conceptId);
  }

  /** Pure: the concepts a text mentions, in order, longest phrase first. */
  concepts(text: string, lang?: Lang): string[] {
    return this.units(text, lang).flatMap((u) => u.concepts);
  }

  /**
   * Pure: the concepts one entry stands for at this place of a text in language `lang`. A phrase of
   * several words matches by stems in either language. One word is riskier: in its own language any
   * inflection matches, but a function word only as listed ("where", not "were"); a word of the other
   * language matches only as written, never when it is a function word or a filler here ("can" is not
   * "cană", Romanian "câte" is not "cats", "vin" is "I come" before it is wine). A phrase keeps its
   * diacritics as a word does, and an entry listed only as written (weekdays, greetings) matches only so.
   */
  private sensesAt(entry: Entry, typed: string[], lang: Lang, monthsCounted: boolean): string[] {
    const original = typed[0] as string;
    const folded = fold(original);
    if (entry.stems.length > 1)
      return [...entry.senses]
        .filter(([id, s]) =>
          s.asListed
            ? s.surfaces.has(typed.map(fold).join(' '))
            : this.phraseKeepsMarks(typed, id, s) && this.noFillerByStem(typed, s),
        )
        .map(([id]) => id);
    if (this.c.fillerWords.has(folded)) return [];
    const functionWord = FUNCTION_WORDS.has(folded);
    const lostS = lostRomanianS(folded);
    const out: string[] = [];
    for (const [id, sense] of entry.senses) {
      const own = sense.langs.has(lang);
      if (own && hasMarks(original) && !sense.surfaces.has(folded) && !this.keepsMarks(original, sense)) continue;
      if (sense.asListed && (monthsCounted || !sense.surfaces.has(folded))) continue;
      if (own && lang === 'ro' && lostS && ![...sense.surfaces].some((s) => romanianStem(s) === romanianStem(folded)))
        continue;
      // A function word is read as listed in its own language: Romanian "cât" is not "cat", listed in English, though
      // "cățea" gives the pets a Romanian spelling of that stem.
      if (own && (!functionWord || sense.surfacesIn.has(`${lang}:${folded}`))) out.push(id);
      else if (!own && !functionWord && (sense.written.has(original) || this.articled(original, sense, lang)))
        out.push(id);
    }
    // A word listed as typed is never also an intent it only shares a stem with ("mâini" is hands, not "mâine",
    // tomorrow): the intent would change what kind of thing is asked.
    const exact = (id: string) => entry.senses.get(id)?.surfaces.has(folded);
    // A concept listed only as written (a weekday, "parcul") is the one reading of the word when it matches.
    if (out.some((id) => entry.senses.get(id)?.asListed)) return out.filter(exact);
    return out.some(exact) ? out.filter((id) => exact(id) || this.kindOf(id) !== 'intent') : out;
  }

  /**
   * Whether each word of a phrase typed with diacritics fits one of its listed spellings, as a single
   * word does: it keeps the marks the listed stem has, and may add some, as inflection does ("plăți"
   * for "plată", "săli" for "sală"), unless it is a word the lexicon lists for another concept ("o
   * măsea de" is a molar, not the table phrase "o masă de").
   */
  private phraseKeepsMarks(typed: string[], id: string, sense: Sense): boolean {
    return typed.every((word, k) => {
      if (!hasMarks(word)) return true;
      const listed = sense.markedPhrases.flatMap((p) => (p[k]?.marked ? [p[k].stem] : []));
      const stem = markedStem(word);
      if (listed.length === 0 || listed.includes(stem)) return true;
      const elsewhere = [...(this.c.markedWords.get(word) ?? [])].some((other) => other !== id);
      return !elsewhere && listed.some((l) => keepsMarks(stem, l));
    });
  }

  /**
   * Whether no word of the phrase is a filler standing in by its stem for another listed word: "nu
   * doar" ("not only") is not "nu doare" ("it does not hurt"), though "doar" and "doare" share a stem.
   */
  private noFillerByStem(typed: string[], sense: Sense): boolean {
    return typed.every((word, k) => {
      const f = fold(word);
      return !this.c.fillerWords.has(f) || sense.markedPhrases.some((p) => p[k]?.folded === f);
    });
  }

  /** Whether "luni" at `i` is months: right after a number or a count word ("9 luni", "20 de luni", "câteva luni"). */
  private monthsCounted(t: ReadText, i: number): boolean {
    if (t.folded[i] !== 'luni') return false;
    const before = t.folded[i - 1] === 'de' ? i - 2 : i - 1;
    const word = t.folded[before] ?? '';
    return !t.breakAfter.slice(before, i).some(Boolean) && (/^\d/.test(word) || COUNT_WORDS.has(word));
  }

  /** Whether a word typed with diacritics keeps those of one of the concept's spellings here. */
  private keepsMarks(original: string, sense: Sense): boolean {
    const typed = markedStem(original);
    return [...sense.marked].some((listed) => keepsMarks(typed, listed));
  }

  /** A loanword with a Romanian article or plural ending ("showroomul", "voucherurile") is the word as written. */
  private articled(original: string, sense: Sense, lang: Lang): boolean {
    return (
      lang === 'ro' &&
      RO_ENDINGS.some((end) => original.endsWith(end) && sense.written.has(original.slice(0, -end.length)))
    );
  }

  /**
   * Pure: the text as units to match. A lexicon phrase is one unit carrying its concepts; any other
   * content word is a unit of its own stem. Function words, filler verbs and numbers ("10", "11am") are dropped.
   */
  units(text: string, lang: Lang = detectLanguage(text)): Unit[] {
    const t = readText(text);
    const { original, folded, seq } = t;
    const out: Unit[] = [];
    let i = 0;
    while (i < seq.length) {
      let matched: { at: number[]; concepts: string[] } | undefined;
      // The first word a phrase found so far was read across, if it was.
      let skipped: number | undefined;
      for (const e of this.c.byFirst.get(seq[i] as string) ?? []) {
        const at = this.phraseAt(e.stems, t, i);
        if (!at) continue;
        const split = (at.at(-1) as number) - i + 1 > at.length;
        // A phrase read across a word gives way to a whole phrase that holds that word: "how much to clean" asks a
        // price, while "laser removal of my tattoo" stays a tattoo removal.
        if (skipped !== undefined && (split || (at.at(-1) as number) < skipped)) continue;
        const concepts = this.sensesAt(
          e,
          at.map((k) => original[k] as string),
          lang,
          this.monthsCounted(t, i),
        );
        if (!concepts.length) continue;
        matched = { at, concepts };
        if (!split) break;
        skipped = at.findIndex((k, n) => k !== i + n) + i;
      }
      if (matched) {
        if (!matched.concepts.includes(GREETING))
          out.push({
            stems: matched.at.map((k) => seq[k] as string),
            words: matched.at.map((k) => original[k] as string),
            concepts: matched.concepts,
            intent: matched.concepts.every((c) => this.kindOf(c) === 'intent'),
          });
        i = (matched.at.at(-1) as number) + 1;
        continue;
      }
      const s = seq[i] as string;
      const f = folded[i] as string;
      if (f.length >= 2 && !/^\d/.test(f) && !FUNCTION_WORDS.has(f) && !this.c.fillers.has(s))
        out.push({ stems: [s], words: [original[i] as string], concepts: [], intent: false });
      i++;
    }
    return out;
  }

  /**
   * Where a phrase's words stand in the text from position `i`, or undefined. Up to two little words
   * (the project's own stop words, not the long stopwords-iso lists) or fillers may stand between them,
   * as a verb's object splits a phrasal verb ("send it back"); never "and"/"or" or punctuation, and a
   * split phrase gives way to a whole phrase starting at its last word ("a refund for the free shipping").
   */
  private phraseAt(stems: string[], t: ReadText, i: number): number[] | undefined {
    const at = [i];
    for (const s of stems.slice(1)) {
      const last = at.at(-1) as number;
      let j = last + 1;
      for (; j < t.seq.length && t.seq[j] !== s && j - last - 1 < MAX_GAP; j++)
        if (!this.skippable(t.folded[j] as string, t.seq[j] as string)) return undefined;
      if (t.seq[j] !== s) return undefined;
      if (j > last + 1) for (let k = last; k < j; k++) if (t.breakAfter[k]) return undefined;
      at.push(j);
    }
    const end = at.at(-1) as number;
    const split = end - i + 1 > at.length;
    if (split && this.startsWholePhrase(t, end)) return undefined;
    return at;
  }

  private startsWholePhrase(t: ReadText, i: number): boolean {
    return (this.c.byFirst.get(t.seq[i] as string) ?? []).some(
      (e) => e.stems.length > 1 && e.stems.every((s, k) => t.seq[i + k] === s),
    );
  }

  private skippable(folded: string, stem: string): boolean {
    return !CONJUNCTIONS.has(folded) && (STOPWORDS.has(folded) || this.c.fillers.has(stem));
  }

  /** Pure: the weekday numbers (0 Sunday … 6 Saturday) a text names, from single days and groups. */
  weekdaysIn(text: string): number[] {
    const days = new Set<number>();
    for (const c of this.concepts(text)) {
      if (c.startsWith('day:')) days.add(Number(c.slice(4)));
      if (c.startsWith('days:')) for (const d of this.data.weekdayGroups[c.slice(5)]?.days ?? []) days.add(d);
    }
    return [...days].sort();
  }

  /**
   * Pure: a label that is only a holiday's name in the other language ("Crăciun" for English, "Christmas Day" for
   * Romanian), named in `lang`; undefined for any other text, which stays as its owner wrote it.
   */
  holidayName(label: string, lang: 'en' | 'ro'): string | undefined {
    const written = fold(label)
      .trim()
      .replace(/[.!]+$/, '');
    const named = (phrases: string[]) => phrases.some((p) => fold(p) === written);
    return this.data.holidays.find((h) => named(h[lang === 'en' ? 'ro' : 'en']) && !named(h[lang]))?.names[lang];
  }

  /** Pure: the holidays a text names ("christmas", "new-year"). */
  holidaysIn(text: string): string[] {
    return this.concepts(text)
      .filter((c) => c.startsWith('holiday:'))
      .map((c) => c.slice(8));
  }
}

/** The shipped lexicon: everyday vocabulary plus the domain files (shared/knowledge/lexicon/*.json). */
export const lexicon = new Lexicon(
  mergeLexicon(
    everyday as LexiconData,
    [services, beauty, health, food, retail, trades].map((part) => part as LexiconPart),
  ),
);

/** Pure: whether a text says nothing the lexicon can read: only thanks, greetings, little words or numbers ("ok, mersi!"). */
export function saysNothing(text: string): boolean {
  return lexicon.units(text).length === 0;
}

/** Pure: whether a text asks only what kind of thing it wants ("how much?", "cât durează?"), naming no thing. */
export function asksKindOnly(text: string): boolean {
  return lexicon.units(text).every((u) => u.intent);
}

let wordsByLanguage: { en: Set<string>; ro: Set<string> } | undefined;

/**
 * Pure: the language a text's words show in the lexicon's lists, for a message the usual signs leave
 * undecided ("doare tare?", "e scump?"): a word listed in one language only, and no function word. Weaker than
 * `languageScores`, so it only ever breaks a tie of no evidence.
 */
export function lexiconLanguage(text: string): 'en' | 'ro' | undefined {
  if (!wordsByLanguage) {
    const listed = (lang: 'en' | 'ro') =>
      new Set(lexicon.data.concepts.flatMap((c) => c[lang].flatMap((p) => words(p).map((w) => fold(w)))));
    const en = listed('en');
    const ro = listed('ro');
    const only = (a: Set<string>, b: Set<string>) =>
      new Set([...a].filter((w) => !b.has(w) && w.length > 2 && !FUNCTION_WORDS.has(w)));
    wordsByLanguage = { en: only(en, ro), ro: only(ro, en) };
  }
  const said = words(text).map((w) => fold(w));
  const en = said.filter((w) => wordsByLanguage?.en.has(w)).length;
  const ro = said.filter((w) => wordsByLanguage?.ro.has(w)).length;
  return en === ro ? undefined : ro > en ? 'ro' : 'en';
}

/** The greetings, thanks and sign-offs of the shipped lexicon, in both languages, longest first. */
export function greetingPhrases(): string[] {
  const g = lexicon.data.greetings;
  return [...new Set([...g.en, ...g.ro])].sort((a, b) => b.length - a.length);
}

/** Pure: the concepts of the shipped lexicon a text mentions. */
export function lexiconConcepts(text: string): string[] {
  return lexicon.concepts(text);
}
