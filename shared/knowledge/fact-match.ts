import type { Chunk } from './chunking.js';
import { type Lexicon, lexicon as shipped, type Unit } from './lexicon.js';
import { cognateStem, detectLanguage, fold, stem, words } from './text.js';
import { namesClockTime, VALUE_INTENTS } from './value-topics.js';

/** Concepts and words that name a visit itself, not what it is for: "the appointment", "ședința", "the treatment". */
const VISIT_CONCEPTS = new Set(['booking', 'sessions']);
const VISIT_STEMS = new Set(
  'treatment treatments tratament tratamentul procedure procedura procedurii visit vizita'
    .split(' ')
    .map((w) => stem(fold(w))),
);

/** A passage's keys: word stems and lexicon concepts, its title (and topics) apart from its body. */
interface Keys {
  topic: Set<string>;
  title: Set<string>;
  body: Set<string>;
  /** Keys of single words inside a passage's phrases ("treatment" in "root canal treatment"), matched weaker. */
  parts: Set<string>;
  /** The keys of each unit of its heading (a service name, an FAQ question), to tell how much of it a question names. */
  titleUnits: string[][];
  /** The kinds of a contrast class it names ("dog"), and the classes it names in general ("animale", "pets"). */
  kinds: Set<string>;
  classes: Set<string>;
  /** Whether it can answer "how much": a service, an amount, a percentage, "free" or "included". */
  statesPrice: boolean;
  /** The numbers its heading says ("Sports massage 60 min"): a policy has none, its "heading" being all of it. */
  headingNumbers: Set<string>;
}

/** Concepts of a passage that answer a price question without an amount ("free", "included in the price"). */
const PRICE_WORDS = new Set(['free', 'included', 'price']);

/** How one passage matches a question. */
export interface FactScore {
  chunk: Chunk;
  score: number;
  /** Share (0–1) of the question's specific words and concepts the passage covers. */
  coverage: number;
  /** How many specific units matched. */
  specific: number;
  /**
   * Share (0–1) of the passage's heading the question names, for a heading of two units or more:
   * "Spălare exterioară" whole, "Spălare completă (interior + exterior)" in part.
   */
  titleNamed: number;
  /** Stems of the words the customer typed for a concept ("ciubarul" for a hot tub) that the passage's heading repeats. */
  echo: string[];
}

/** A bracketed aside in a heading: a code, an abbreviation, a detail ("Cat vaccine (RCP)"). */
const ASIDE = /\s*\([^)]*\)/g;

/** Weight of a question unit that only says what kind of thing is asked ("how much"). */
const INTENT_WEIGHT = 0.6;
/**
 * A unit found in a title counts more, as an FAQ question names the thing; a service name or a fact's own topic more
 * still.
 */
const TITLE_BOOST = 1.5;
const TOPIC_BOOST = 2;
/** A unit met only as a word inside a longer phrase of the passage. */
const PART_WEIGHT = 0.5;
/** A unit met only through a related topic ("cracked heels" and a pedicure): the lexicon's `related`. */
const RELATED_WEIGHT = 0.5;
/** Units from the previous customer turn, used only when the new message is not clear alone. */
const HISTORY_WEIGHT = 0.5;
/** A passage the last reply was about, when the new message is read with the previous turn. */
const FOCUS_BOOST = 1.5;
const KIND_BOOST = 1.3;
/**
 * A word neither the lexicon nor any passage knows ("hi", a typo, a name) still counts against coverage,
 * but less than a word the tenant knows elsewhere, so one stray word does not hand off a clear question.
 */
const UNKNOWN_WORD_WEIGHT = 0.35;

function unitKeys(u: Unit): string[] {
  if (u.concepts.length) return u.concepts.map((c) => `c:${c}`);
  // A word the lexicon does not know may be written in the other language ("classic" for "clasic").
  const keys = new Set(u.stems.map((s) => `s:${s}`));
  for (const word of u.words) keys.add(`s:${cognateStem(fold(word))}`);
  return [...keys];
}

type Read = (text: string, lang?: 'en' | 'ro') => Unit[];

/** The keys of a text's units (read already), and of the words inside its phrases (`read` each). */
function keysOf(units: Unit[], read: Read, lang: 'en' | 'ro' | undefined): { keys: Set<string>; parts: Set<string> } {
  const keys = new Set<string>();
  const parts = new Set<string>();
  for (const u of units) {
    for (const c of u.concepts) keys.add(`c:${c}`);
    for (const k of u.concepts.length ? u.stems.map((s) => `s:${s}`) : unitKeys(u)) keys.add(k);
    if (u.words.length > 1 && u.concepts.length)
      for (const word of u.words) for (const part of read(word, lang)) for (const k of unitKeys(part)) parts.add(k);
  }
  return { keys, parts };
}

/** A text as its words, folded and joined: "Do you buy used phones?" is "do you buy used phones". */
function wordsOf(text: string): string {
  return words(fold(text)).join(' ');
}

function has(set: Set<string>, key: string): boolean {
  if (set.has(key)) return true;
  // A long word stem also matches its longer or shorter forms ("implant" / "implanturi").
  if (!key.startsWith('s:') || key.length < 7) return false;
  for (const k of set) if (k.startsWith('s:') && k.length >= 7 && (k.startsWith(key) || key.startsWith(k))) return true;
  return false;
}

/**
 * Ranks single-fact passages for a question by the words and lexicon concepts they share, each
 * weighted by how rare it is among this tenant's passages. Pure and deterministic; built once per
 * index, as a tenant's passages are few (hundreds) and matching all of them takes well under a millisecond.
 */
export class FactMatcher {
  private readonly keys: Keys[];
  private readonly df = new Map<string, number>();
  /** The kinds of the lexicon's contrast classes (dogs, cats): they only ever exclude, and never score. */
  private readonly sorts: Set<string>;
  private readonly classes: Array<[string, string[]]>;
  /** The keys the headings of FAQs and services hold: what the business offers as a thing of its own. */
  private readonly headed = new Set<string>();
  /** Each FAQ question as its words, folded, to the FAQs that ask it: read once, not on every message. */
  private readonly faqsByQuestion = new Map<string, Chunk[]>();
  /** The kinds of a contrast class that some passage names, and the classes some passage names in general. */
  private readonly kindsNamed = new Set<string>();

  constructor(
    readonly chunks: Chunk[],
    private readonly lex: Lexicon = shipped,
  ) {
    this.classes = lex.contrastClasses();
    this.sorts = new Set(this.classes.flatMap(([, kinds]) => kinds));
    const read: Read = (text, lang) => this.units(text, lang);
    for (const c of chunks)
      if (c.kind === 'faq') {
        const said = wordsOf(c.title);
        this.faqsByQuestion.set(said, [...(this.faqsByQuestion.get(said) ?? []), c]);
      }
    this.keys = chunks.map((chunk) => {
      // A passage the chunker left undecided is read in the language of all its words: its heading alone ("Cat vaccine
      // (o Sa)") may read as the other language.
      const c = chunk.lang ? chunk : { ...chunk, lang: detectLanguage(chunk.text) };
      // A policy is one sentence with no heading of its own: its words are its title.
      const policy = c.fact?.type === 'policy';
      // Read once: the kinds of a contrast class come from the units as read, the keys from them without it.
      const titleRead = lex.units(policy ? c.text : c.title, c.lang);
      const bodyRead = lex.units(c.text, c.lang);
      const title = keysOf(this.scoring(titleRead), read, c.lang);
      const body = keysOf(this.scoring(bodyRead), read, c.lang);
      const topic = new Set((c.topics ?? []).map((t) => `c:${t}`));
      if (c.kind === 'service') for (const k of title.keys) topic.add(k);
      const parts = new Set([...title.parts, ...body.parts]);
      // A passage that holds both parts of a compound holds the compound: "ship to the EU for 65 RON" is a shipping cost.
      const held = new Set([...topic, ...title.keys, ...body.keys]);
      for (const [id, of] of Object.entries(lex.data.compounds.of))
        if (of.every((p) => held.has(`c:${p}`))) body.keys.add(`c:${id}`);
      for (const k of new Set([...topic, ...title.keys, ...body.keys, ...parts]))
        this.df.set(k, (this.df.get(k) ?? 0) + 1);
      // An aside in brackets ("Cat vaccine (RCP)") is not part of what a question must say to name the heading.
      const heading = policy ? c.title : c.title.replace(ASIDE, '');
      const titleUnits = (policy || heading !== c.title ? this.units(heading, c.lang) : this.scoring(titleRead))
        .filter((u) => !u.intent)
        .map(unitKeys);
      const named = [...titleRead, ...bodyRead];
      const kinds = this.kindsOf(c.kind === 'service' ? titleRead : [], [...titleRead, ...bodyRead], c.lang);
      // "Animalele sunt binevenite" names pets in general: it answers about a cat though it also names a dog.
      const classes = new Set(
        named.flatMap((u) =>
          this.classes
            .filter(([of, sorts]) => u.concepts.includes(of) && !this.namedIn(u, c.lang).some((n) => sorts.includes(n)))
            .map(([of]) => of),
        ),
      );
      if (!policy && (c.kind === 'faq' || c.kind === 'service')) for (const k of title.keys) this.headed.add(k);
      for (const named of [...kinds, ...classes]) this.kindsNamed.add(named);
      const statesPrice =
        c.fact?.type === 'service' ||
        (c.topics ?? []).includes('price') ||
        /\d\s{0,2}%/.test(c.text) ||
        bodyRead.some((u) => u.concepts.some((x) => PRICE_WORDS.has(x)));
      const headingNumbers = new Set<string>(policy ? [] : (c.title.match(/\d+/g) ?? []));
      return {
        topic,
        title: title.keys,
        body: body.keys,
        parts,
        titleUnits,
        kinds,
        classes,
        statesPrice,
        headingNumbers,
      };
    });
  }

  /**
   * The lexicon's units of a text without the kinds of a contrast class: "câine" scores as a pet, as it did before
   * dogs and cats were told apart, so a passage about "animale" still ranks as high for it.
   */
  private units(text: string, lang?: 'en' | 'ro'): Unit[] {
    return this.scoring(this.lex.units(text, lang));
  }

  /** Units as read, without the kinds of a contrast class (see `units`). */
  private scoring(all: Unit[]): Unit[] {
    if (this.sorts.size === 0) return all;
    return all.map((u) =>
      u.concepts.some((c) => this.sorts.has(c)) ? { ...u, concepts: u.concepts.filter((c) => !this.sorts.has(c)) } : u,
    );
  }

  /** The kinds of a contrast class a unit names, its own words included ("pot veni cu cățelul" names a dog). */
  private namedIn(u: Unit, lang: 'en' | 'ro' | undefined): string[] {
    if (this.sorts.size === 0) return [];
    // Each word in the language of the whole text: "catea" alone would read as English.
    const inWords =
      u.words.length > 1 ? u.words.flatMap((w) => this.lex.units(w, lang).flatMap((p) => p.concepts)) : [];
    return [...new Set([...u.concepts, ...inWords])].filter((c) => this.sorts.has(c));
  }

  /**
   * The kinds of each contrast class a passage is about: those a service's name names, or, when it names none of that
   * class, those its text names. "Cat boarding: a room away from the dogs" is about cats. An FAQ's answer may add
   * kinds to its question ("Do you speak English? Yes, and German"), so for it `name` is empty.
   */
  private kindsOf(name: Unit[], all: Unit[], lang: 'en' | 'ro' | undefined): Set<string> {
    const inTitle = new Set(name.flatMap((u) => this.namedIn(u, lang)));
    const inBody = new Set(all.flatMap((u) => this.namedIn(u, lang)));
    return new Set(
      this.classes.flatMap(([, sorts]) => {
        const headed = sorts.filter((kind) => inTitle.has(kind));
        return headed.length > 0 ? headed : sorts.filter((kind) => inBody.has(kind));
      }),
    );
  }

  /** Whether a passage names only other kinds of a class than the question asks, and not the class in general. */
  private contrasted(k: Keys, asked: Set<string>): boolean {
    return this.classes.some(([of, kinds]) => {
      const wanted = kinds.filter((kind) => asked.has(kind));
      if (wanted.length === 0 || k.classes.has(of)) return false;
      return kinds.some((kind) => k.kinds.has(kind)) && !wanted.some((kind) => k.kinds.has(kind));
    });
  }

  private idf(key: string): number {
    return Math.log(1 + this.chunks.length / ((this.df.get(key) ?? 0) + 0.5));
  }

  private known(key: string): boolean {
    return this.df.has(key);
  }

  /**
   * What a question unit weighs: its rarest key this tenant knows. A topic the lexicon knows and no passage
   * mentions ("beard" at a clinic) weighs as the rarest word, so a question about it is not covered;
   * a stray word weighs less.
   */
  private weight(u: Unit): number {
    const known = unitKeys(u).filter((k) => this.known(k));
    if (known.length) return Math.max(...known.map((k) => this.idf(k))) * (u.intent ? INTENT_WEIGHT : 1);
    const w = this.idf('');
    return u.intent ? w * INTENT_WEIGHT : u.concepts.length ? w : w * UNKNOWN_WORD_WEIGHT;
  }

  /**
   * Pure: whether a sentence of the message names topics the lexicon knows, and none of its words or
   * concepts is in any of this tenant's passages ("Do you do braces?" at a clinic that never wrote about them).
   */
  hasForeignSentence(question: string): boolean {
    return question.split(/(?<=[.?!])\s+|\n+/).some((sentence) => {
      const units = this.units(sentence).filter((u) => !u.intent);
      return units.some((u) => u.concepts.length) && !units.some((u) => unitKeys(u).some((k) => this.known(k)));
    });
  }

  /**
   * Where a question unit is met in a passage, and through which keys: its topic or a service name,
   * an FAQ question, its text, a word inside one of its phrases, or only a related topic.
   */
  private placeIn(k: Keys, keys: string[], near: string[]): { place: number; shared: string[]; related?: true } {
    const holds = (key: string) => has(k.body, key) || has(k.title, key) || k.topic.has(key);
    const direct = keys.filter(holds);
    if (keys.some((key) => k.topic.has(key))) return { place: TOPIC_BOOST, shared: direct };
    if (keys.some((key) => has(k.title, key))) return { place: TITLE_BOOST, shared: direct };
    if (direct.length) return { place: 1, shared: direct };
    if (keys.some((key) => k.parts.has(key))) return { place: PART_WEIGHT, shared: [] };
    const met = near.filter(holds);
    return met.length ? { place: RELATED_WEIGHT, shared: met, related: true } : { place: 0, shared: [] };
  }

  /**
   * A kind no passage names, of a class whose other kinds some passage names and none names in general ("French
   * lessons?" at a school of English and German courses): a topic the tenant never wrote about, not the class.
   */
  private unwrittenKind(u: Unit): Unit | undefined {
    const kinds = u.concepts.filter((c) => this.sorts.has(c));
    if (kinds.length === 0 || kinds.some((kind) => this.kindsNamed.has(kind))) return undefined;
    const classes = this.classes.filter(([, sorts]) => kinds.some((kind) => sorts.includes(kind)));
    const othersNamed = classes.some(
      ([of, sorts]) => !this.kindsNamed.has(of) && sorts.some((kind) => this.kindsNamed.has(kind)),
    );
    return othersNamed ? { ...u, concepts: kinds } : undefined;
  }

  /**
   * A text's units, and a time of day it names as an intent: "if I order at 11am" meets "orders before 12:00".
   * A word that only names the business itself ("the clinic" in "where is the clinic?") is left out when the
   * text says anything else: it would match a service that happens to use the word ("Consult clinic").
   */
  private asked(text: string, read = this.lex.units(text)): Unit[] {
    const all = this.scoring(read).map((u, i) => this.unwrittenKind(read[i] as Unit) ?? u);
    // Asked when it opens, the gym is the business itself ("until what time is the gym open?" at a gym), unless an
    // FAQ or a service of its own is about it ("Do you have a gym?" at a guesthouse, with its own hours).
    const hours = all.some((u) => u.concepts.includes('hours'));
    const ours = (u: Unit) =>
      u.concepts.includes('premises') &&
      !u.concepts.some((c) => c !== 'premises' && this.headed.has(`c:${c}`)) &&
      !u.stems.some((st) => this.headed.has(`s:${st}`));
    const aboutUs = (u: Unit) =>
      u.concepts.length > 0 && (u.concepts.every((c) => c === 'premises') || (hours && ours(u)));
    const units = all.every(aboutUs) ? all : all.filter((u) => !aboutUs(u));
    return namesClockTime(text) ? [...units, { stems: [], words: [], concepts: ['clock'], intent: true }] : units;
  }

  /**
   * Pure: the one FAQ whose question the message repeats word for word ("Do you buy used phones?"), folded. Read by
   * the lexicon, such a message may name nothing but a word a service shares ("phones"), yet the owner wrote it down.
   */
  faqAskedAsWritten(question: string): FactScore | undefined {
    const asked = wordsOf(question);
    const same = asked ? this.faqsByQuestion.get(asked) : undefined;
    const chunk = same?.length === 1 ? same[0] : undefined;
    return chunk && { chunk, score: 1, coverage: 1, specific: 1, titleNamed: 1, echo: [] };
  }

  /** Pure: whether the question asks, as an intent, for a value the passage holds ("how long?" and a duration). */
  asksValueIn(question: string, chunk: Chunk): boolean {
    const held = new Set(chunk.topics ?? []);
    return this.asked(question).some((u) => u.intent && u.concepts.some((c) => VALUE_INTENTS.has(c) && held.has(c)));
  }

  /**
   * Pure: whether a passage about all the message names cannot answer the price it asks ("how much is parking if I
   * leave my car?" and "the car waits in car park P1"): it names no amount, percentage, "free" or "included", and is no
   * service (whose price note may say "on request"). A passage that answers another part of the message ("how much is
   * the wash and until when are you open?" and the hours) is left to the rules of a partial answer.
   */
  lacksAskedPrice(question: string, chunk: Chunk): boolean {
    const k = this.keys[this.chunks.indexOf(chunk)];
    if (!k || k.statesPrice) return false;
    const asked = this.asked(question);
    if (!asked.some((u) => u.intent && u.concepts.includes('price'))) return false;
    const named = asked.filter((u) => !u.intent && u.concepts.length > 0);
    return named.every((u) => this.placeIn(k, unitKeys(u), []).place > 0);
  }

  /**
   * Pure: whether the message asks for a value ("how long", "cât costă") of the visit alone: "how long does the
   * appointment take?", "cât durează ședința?", "how much is the treatment?" name no service of their own.
   */
  asksValueOfVisit(question: string): boolean {
    const units = this.asked(question);
    const named = units.filter((u) => !u.intent);
    const visit = (u: Unit) =>
      u.concepts.length ? u.concepts.every((c) => VISIT_CONCEPTS.has(c)) : u.stems.every((st) => VISIT_STEMS.has(st));
    const asksValue = units.some((u) => u.intent && u.concepts.some((c) => VALUE_INTENTS.has(c)));
    return asksValue && named.length > 0 && named.every(visit);
  }

  private relatedKeys(u: Unit): string[] {
    return u.concepts.flatMap((c) => this.lex.relatedTo(c)).map((c) => `c:${c}`);
  }

  /**
   * Pure: every passage scored for the question (and, weighted lower, the previous turn), best first.
   * `focus` names passages the conversation is about, which a follow-up most likely means.
   */
  rank(question: string, previous = '', focus: string[] = []): FactScore[] {
    // Each text read once: for its units, and for the kinds of a contrast class it names.
    const [latest, earlier] = [question, previous].map((text) => {
      const lang = detectLanguage(text);
      const units = this.lex.units(text, lang);
      return { units, kinds: units.flatMap((u) => this.namedIn(u, lang)) };
    }) as [{ units: Unit[]; kinds: string[] }, { units: Unit[]; kinds: string[] }];
    const read = [
      ...this.asked(question, latest.units).map((u) => ({ u, w: this.weight(u) })),
      ...this.asked(previous, earlier.units).map((u) => ({ u, w: this.weight(u) * HISTORY_WEIGHT })),
    ];
    // A question of intents only ("where are you?", "how much?") is about what it asks: its intents become its topic.
    const units = read.every((x) => x.u.intent) ? read.map((x) => ({ u: { ...x.u, intent: false }, w: x.w })) : read;
    const specificTotal = units.filter((x) => !x.u.intent).reduce((s, x) => s + x.w, 0);
    // The question's keys once, for how much of each passage's heading it names.
    const asked = new Set(units.filter((x) => !x.u.intent).flatMap((x) => unitKeys(x.u)));
    // Each unit's keys and related topics once, not once per passage.
    const prepared = units.map((x) => ({ ...x, keys: unitKeys(x.u), near: this.relatedKeys(x.u) }));
    // Only words the customer typed for a thing: "how" in "how long" names no heading, even read as the topic.
    const echoed = [...new Set(read.filter((x) => !x.u.intent && x.u.concepts.length).flatMap((x) => x.u.stems))];
    // A number the customer typed tells apart services whose headings differ by it ("the 30 minute one", "4 camere").
    const numbers = [...new Set(question.match(/\d+/g) ?? [])];
    // "and for a cat?" after a dog's boarding asks about a cat: the new message's kind replaces the earlier one's.
    const classOf = (kind: string) => this.classes.find(([, sorts]) => sorts.includes(kind))?.[0];
    const newClasses = new Set(latest.kinds.map(classOf));
    const kindsAsked = new Set([...latest.kinds, ...earlier.kinds.filter((kind) => !newClasses.has(classOf(kind)))]);
    return this.chunks
      .map((chunk, i) => {
        const k = this.keys[i] as Keys;
        let score = 0;
        let covered = 0;
        let specific = 0;
        // A passage about a dog is no answer to a question about a cat, whatever else they share.
        const excluded = kindsAsked.size > 0 && this.contrasted(k, kindsAsked);
        for (const { u, w, keys, near } of prepared) {
          const { place, shared, related } = this.placeIn(k, keys, near);
          if (place === 0) continue;
          // An ambiguous phrase counts by the sense this passage shares, at that sense's rarity.
          const sense = shared.length ? Math.max(...shared.map((key) => this.idf(key))) : w;
          const unitWeight = Math.min(w, sense * (u.intent ? INTENT_WEIGHT : 1)) || w;
          score += unitWeight * place;
          if (!u.intent) {
            covered += place < 1 ? unitWeight * place : unitWeight;
            // A relation supports a passage but never makes it the answer alone ("knee surgery" is not physiotherapy).
            if (!related) specific++;
          }
        }
        // Only a heading counts: a policy's "title" is its whole text.
        const echo =
          chunk.fact?.type === 'policy'
            ? []
            : [
                ...echoed.filter((st) => has(k.title, `s:${st}`)),
                ...numbers.filter((n) => k.headingNumbers.has(n)).map((n) => `#${n}`),
              ];
        if (focus.includes(chunk.id)) score *= FOCUS_BOOST;
        if ([...kindsAsked].some((kind) => k.kinds.has(kind))) score *= KIND_BOOST;
        const coverage = specificTotal && !excluded ? Math.min(1, covered / specificTotal) : 0;
        const named = k.titleUnits.filter((keys) => keys.some((key) => has(asked, key)));
        // A heading of one unit ("Atelier de olărit") is named by any question on its topic, so says nothing here.
        const titleNamed = k.titleUnits.length > 1 ? named.length / k.titleUnits.length : 0;
        // Scaled by coverage: a passage that answers the whole question beats one that only names its rarest word.
        return { chunk, score: score * coverage, coverage, specific, titleNamed, echo };
      })
      .filter((s) => s.coverage > 0)
      .sort((a, b) => b.score - a.score || b.titleNamed - a.titleNamed || a.chunk.id.localeCompare(b.chunk.id));
  }
}

/**
 * The thresholds of a confident answer: most of the question covered and well ahead of the runner-up
 * by score, or nearly all of it covered and far ahead by coverage.
 */
export const CONFIDENT = { coverage: 0.5, margin: 1.25, fullCoverage: 0.75, coverageLead: 0.35 } as const;

/**
 * A passage far ahead of every other on a question it meets in two or more places holds part of the answer, though the
 * question says more than it holds ("ne căsătorim în septembrie … cât mă costă să mă pieptănați?" and the bridal hair):
 * it is said, and a colleague answers the rest.
 */
export const FAR_AHEAD = { specific: 2, margin: 4, coverage: 1 / 3 } as const;

/**
 * How an unclear match's coverage is reported: always below the lowest clear answer (`CONFIDENT.coverage`),
 * so a handoff never shows more confidence than an answer did.
 */
const UNCLEAR_SCALE = 0.45;
/** What a passage far ahead of the rest is reported at: a clear answer's, as it is said with a colleague to follow. */
const ASSURED = CONFIDENT.fullCoverage;

/**
 * Pure: the one passage that clearly answers, or undefined.
 */
export function confidentFact(
  ranked: FactScore[],
  { farAhead = false }: { farAhead?: boolean } = {},
): { best?: FactScore; confidence: number; partial?: true } {
  const [top, second] = ranked;
  if (!top || top.specific === 0) return { confidence: 0 };
  const margin = second ? top.score / second.score : Number.POSITIVE_INFINITY;
  const lead = top.coverage - (second?.coverage ?? 0);
  // Two passages that both cover the question, one named by it whole and the other only in part
  // ("spălarea exterioară" and the services "Spălare exterioară" and "Spălare completă (interior + exterior)").
  const namedWhole =
    second !== undefined &&
    top.coverage >= CONFIDENT.fullCoverage &&
    top.coverage >= second.coverage &&
    top.titleNamed === 1 &&
    second.titleNamed < 1;
  const clear =
    (top.coverage >= CONFIDENT.coverage && margin >= CONFIDENT.margin) ||
    (top.coverage >= CONFIDENT.fullCoverage && lead >= CONFIDENT.coverageLead) ||
    namedWhole;
  const confidence = (s: FactScore, sure: boolean) =>
    Math.round(Math.min(1, s.coverage * (sure ? 1 : UNCLEAR_SCALE)) * 100) / 100;
  // "the first grooming for a puppy": every dog's grooming names it whole to the lexicon, but only "Puppy intro"
  // repeats the word the customer typed.
  const echoed = echoedAlone(ranked);
  if (namedWhole && echoed && echoed !== top && margin < CONFIDENT.margin)
    return { best: echoed, confidence: confidence(echoed, true) };
  if (clear) return { best: top, confidence: confidence(top, true) };
  if (
    farAhead &&
    top.specific >= FAR_AHEAD.specific &&
    margin >= FAR_AHEAD.margin &&
    top.coverage >= FAR_AHEAD.coverage
  )
    return { best: top, confidence: ASSURED, partial: true };
  return echoed ? { best: echoed, confidence: confidence(echoed, true) } : { confidence: confidence(top, false) };
}

/**
 * Pure: "Care e programul?" at an after-school whose services are each an "After-school program": passages that tie
 * whole on the business's hours and a service named with the word are answered by the business's hours.
 */
export function ownHoursAmongEqual(ranked: FactScore[]): FactScore | undefined {
  const [top] = ranked;
  if (!top || top.coverage < CONFIDENT.fullCoverage) return undefined;
  const tied = ranked.filter((s) => s.score === top.score && s.coverage === top.coverage);
  const hours = tied.filter((s) => s.chunk.fact?.type === 'hours');
  return tied.length > 1 && hours.length === 1 ? hours[0] : undefined;
}

/**
 * Of passages that tie on a well-covered question, the one whose heading alone repeats a word the customer
 * typed for a concept they share: "cât costă ciubărul?" between "Ciubăr în curte" and "Apartament cu jacuzzi",
 * both a hot tub to the lexicon.
 */
function echoedAlone(ranked: FactScore[]): FactScore | undefined {
  const [top] = ranked;
  if (!top) return undefined;
  const close = ranked.filter((s) => s.score * CONFIDENT.margin >= top.score);
  if (close.some((s) => s.coverage !== top.coverage) || top.coverage < CONFIDENT.fullCoverage) return undefined;
  const own = close.filter(
    (s) => s.specific > 0 && s.echo.some((st) => close.every((o) => o === s || !o.echo.includes(st))),
  );
  return own.length === 1 ? own[0] : undefined;
}
