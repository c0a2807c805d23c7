import type { Chunk } from './chunking.js';
import { type Lexicon, lexicon as shipped, type Unit } from './lexicon.js';

/** A passage's keys: word stems and lexicon concepts, its title (and topics) apart from its body. */
interface Keys {
  topic: Set<string>;
  title: Set<string>;
  body: Set<string>;
}

/** How one passage matches a question. */
export interface FactScore {
  chunk: Chunk;
  score: number;
  /** Share (0–1) of the question's specific words and concepts the passage covers. */
  coverage: number;
  /** How many specific units matched. */
  specific: number;
}

/** Weight of a question unit that only says what kind of thing is asked ("how much"). */
const INTENT_WEIGHT = 0.6;
/**
 * A unit found in a title counts more, as an FAQ question names the thing; a service name or a fact's own topic more
 * still.
 */
const TITLE_BOOST = 1.5;
const TOPIC_BOOST = 2;
/** Units from the previous customer turn, used only when the new message is not clear alone. */
const HISTORY_WEIGHT = 0.5;

function keysOf(lex: Lexicon, text: string): Set<string> {
  const out = new Set<string>();
  for (const u of lex.units(text)) {
    for (const c of u.concepts) out.add(`c:${c}`);
    for (const s of u.stems) out.add(`s:${s}`);
  }
  return out;
}

function unitKeys(u: Unit): string[] {
  return u.concepts.length ? u.concepts.map((c) => `c:${c}`) : u.stems.map((s) => `s:${s}`);
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

  constructor(
    readonly chunks: Chunk[],
    private readonly lex: Lexicon = shipped,
  ) {
    this.keys = chunks.map((c) => {
      const title = keysOf(lex, c.title);
      const topic = new Set((c.topics ?? []).map((t) => `c:${t}`));
      if (c.kind === 'service') for (const k of title) topic.add(k);
      const body = keysOf(lex, c.text);
      for (const k of new Set([...topic, ...title, ...body])) this.df.set(k, (this.df.get(k) ?? 0) + 1);
      return { topic, title, body };
    });
  }

  private idf(key: string): number {
    return Math.log(1 + this.chunks.length / ((this.df.get(key) ?? 0) + 0.5));
  }

  private weight(u: Unit): number {
    const w = Math.max(...unitKeys(u).map((k) => this.idf(k)));
    return u.intent ? w * INTENT_WEIGHT : w;
  }

  /** Pure: every passage scored for the question (and, weighted lower, the previous turn), best first. */
  rank(question: string, previous = ''): FactScore[] {
    const units = [
      ...this.lex.units(question).map((u) => ({ u, w: this.weight(u) })),
      ...this.lex.units(previous).map((u) => ({ u, w: this.weight(u) * HISTORY_WEIGHT })),
    ];
    const specificTotal = units.filter((x) => !x.u.intent).reduce((s, x) => s + x.w, 0);
    return this.chunks
      .map((chunk, i) => {
        const k = this.keys[i] as Keys;
        let score = 0;
        let covered = 0;
        let specific = 0;
        for (const { u, w } of units) {
          const keys = unitKeys(u);
          const inTopic = keys.some((key) => has(k.topic, key));
          const inTitle = inTopic || keys.some((key) => has(k.title, key));
          const inBody = inTitle || keys.some((key) => has(k.body, key));
          if (!inBody) continue;
          score += w * (inTopic ? TOPIC_BOOST : inTitle ? TITLE_BOOST : 1);
          if (!u.intent) {
            covered += w;
            specific++;
          }
        }
        return { chunk, score, coverage: specificTotal ? covered / specificTotal : 0, specific };
      })
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id));
  }
}

/** The thresholds of a confident answer. */
export const CONFIDENT = { coverage: 0.5, margin: 1.25 } as const;

/**
 * Pure: the one passage that clearly answers, or undefined: it must cover most of the question and beat the runner-up.
 */
export function confidentFact(ranked: FactScore[]): { best?: FactScore; confidence: number } {
  const [top, second] = ranked;
  if (!top || top.specific === 0) return { confidence: 0 };
  const margin = second ? top.score / second.score : Number.POSITIVE_INFINITY;
  const confidence = Math.round(Math.min(1, top.coverage * (margin >= CONFIDENT.margin ? 1 : 0.6)) * 100) / 100;
  return top.coverage >= CONFIDENT.coverage && margin >= CONFIDENT.margin ? { best: top, confidence } : { confidence };
}
