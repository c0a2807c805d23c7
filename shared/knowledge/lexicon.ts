import data from './lexicon/everyday.json' with { type: 'json' };
import { fold, STOPWORDS, stem, words } from './text.js';

/** One concept of the bilingual lexicon: words and phrases that mean the same thing in English or Romanian. */
export interface Concept {
  id: string;
  /** An intent ("how much", "how long") says what kind of thing is asked, not which thing. */
  kind: 'intent' | 'topic';
  en: string[];
  ro: string[];
}

export interface LexiconData {
  concepts: Concept[];
  weekdays: { en: string[][]; ro: string[][] };
  weekdayAbbreviations: { en: string[][]; ro: string[][] };
  weekdayGroups: Record<string, { days: number[]; en: string[]; ro: string[] }>;
  holidays: Array<{ id: string; en: string[]; ro: string[] }>;
  fillers: { en: string[]; ro: string[] };
}

/** A matched stretch of text: the words it covers and the keys (concept ids) it stands for. */
export interface Unit {
  /** The word stems of the stretch, so a passage sharing the very word also matches. */
  stems: string[];
  concepts: string[];
  intent: boolean;
}

/** Folded and stemmed, stop words kept: phrases such as "how much" need their little words. */
export function stemSequence(text: string): string[] {
  return words(text).map((w) => stem(fold(w)));
}

interface Entry {
  stems: string[];
  concepts: Set<string>;
  /** Folded spellings of a one-word entry, so a stop word matches only when listed as itself ("where"), not by stem. */
  surfaces: Set<string>;
}

/**
 * The lexicon compiled for matching: phrases by their first stem, longest first. Built once from the
 * data; a bad entry (empty phrase, unknown kind) is refused at load so the data cannot rot silently.
 */
export class Lexicon {
  private readonly byFirst = new Map<string, Entry[]>();
  private readonly kinds = new Map<string, 'intent' | 'topic'>();
  readonly fillers: Set<string>;

  constructor(readonly data: LexiconData) {
    const entries = new Map<string, Entry>();
    const add = (phrase: string, id: string) => {
      const stems = stemSequence(phrase);
      if (stems.length === 0) throw new Error(`Lexicon: empty phrase in ${id}`);
      const key = stems.join(' ');
      const entry = entries.get(key) ?? { stems, concepts: new Set<string>(), surfaces: new Set<string>() };
      entry.concepts.add(id);
      entry.surfaces.add(fold(phrase));
      entries.set(key, entry);
    };
    for (const c of data.concepts) {
      if (c.kind !== 'intent' && c.kind !== 'topic') throw new Error(`Lexicon: concept ${c.id} has no kind`);
      if (c.en.length === 0 || c.ro.length === 0) throw new Error(`Lexicon: concept ${c.id} needs both languages`);
      this.kinds.set(c.id, c.kind);
      for (const phrase of [...c.en, ...c.ro]) add(phrase, c.id);
    }
    for (const [day, names] of [...data.weekdays.en.entries(), ...data.weekdays.ro.entries()]) {
      this.kinds.set(`day:${day}`, 'topic');
      for (const n of names) add(n, `day:${day}`);
    }
    for (const [id, group] of Object.entries(data.weekdayGroups)) {
      this.kinds.set(`days:${id}`, 'topic');
      for (const n of [...group.en, ...group.ro]) add(n, `days:${id}`);
    }
    for (const h of data.holidays) {
      this.kinds.set(`holiday:${h.id}`, 'topic');
      for (const n of [...h.en, ...h.ro]) add(n, `holiday:${h.id}`);
    }
    for (const entry of entries.values()) {
      const first = entry.stems[0] as string;
      const list = this.byFirst.get(first) ?? [];
      list.push(entry);
      this.byFirst.set(first, list);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.stems.length - a.stems.length);
    this.fillers = new Set([...data.fillers.en, ...data.fillers.ro].flatMap(stemSequence));
  }

  kindOf(conceptId: string): 'intent' | 'topic' {
    return this.kinds.get(conceptId) ?? 'topic';
  }

  /** Pure: the concepts a text mentions, in order, longest phrase first. */
  concepts(text: string): string[] {
    return this.units(text).flatMap((u) => u.concepts);
  }

  /**
   * Pure: the text as units to match. A lexicon phrase is one unit carrying its concepts; any other
   * content word is a unit of its own stem. Stop words and filler verbs are dropped.
   */
  units(text: string): Unit[] {
    const seq = stemSequence(text);
    const folded = words(text).map(fold);
    const out: Unit[] = [];
    let i = 0;
    while (i < seq.length) {
      const candidates = this.byFirst.get(seq[i] as string) ?? [];
      // A lone stop word ("can", "do") is never a concept, even when a stem of the other language matches it.
      const lone = STOPWORDS.has(folded[i] as string);
      const hit = candidates.find(
        (e) =>
          (!lone || e.stems.length > 1 || e.surfaces.has(folded[i] as string)) &&
          e.stems.every((s, k) => seq[i + k] === s),
      );
      if (hit) {
        const concepts = [...hit.concepts];
        out.push({
          stems: seq.slice(i, i + hit.stems.length),
          concepts,
          intent: concepts.every((c) => this.kindOf(c) === 'intent'),
        });
        i += hit.stems.length;
        continue;
      }
      const s = seq[i] as string;
      const f = folded[i] as string;
      if (f.length >= 2 && !STOPWORDS.has(f) && !this.fillers.has(s))
        out.push({ stems: [s], concepts: [], intent: false });
      i++;
    }
    return out;
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

  /** Pure: the holidays a text names ("christmas", "new-year"). */
  holidaysIn(text: string): string[] {
    return this.concepts(text)
      .filter((c) => c.startsWith('holiday:'))
      .map((c) => c.slice(8));
  }
}

/** The shipped lexicon (shared/knowledge/lexicon/everyday.json). */
export const lexicon = new Lexicon(data as LexiconData);
