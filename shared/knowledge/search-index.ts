import { createHash } from 'node:crypto';
import MiniSearch from 'minisearch';
import { z } from 'zod';
import type { Chunk } from './chunking.js';
import { FactMatcher } from './fact-match.js';
import { lexicon } from './lexicon.js';
import { searchTerm, words } from './text.js';

/** What a retrieval returns: the passage, its lexical score and, when embeddings exist, its cosine. */
export interface Hit {
  chunk: Chunk;
  score: number;
  lexical: number;
  cosine?: number;
}

/** The serialized form stored in Blob Storage, one per tenant and knowledge base version. */
export interface SerializedIndex {
  version: number;
  /** What built it (`indexBuilder()`); an index from another builder is rebuilt. Absent before builders were stamped. */
  builder?: string;
  chunks: Chunk[];
  lexical: unknown;
  /** Embeddings by chunk position, present when Azure OpenAI was configured at build time. */
  embeddings?: number[][];
}

/**
 * The stored index blob, checked when it is read: a blob written by another version or damaged is
 * refused (CorruptDocumentError) instead of answering from half a knowledge base. The MiniSearch
 * part is checked by MiniSearch itself when it loads.
 */
export const serializedIndexSchema = z.looseObject({
  version: z.number(),
  builder: z.string().optional(),
  chunks: z.array(
    z.looseObject({
      id: z.string(),
      entryId: z.string(),
      entryVersion: z.number(),
      kind: z.enum(['profile', 'service', 'faq', 'document']),
      title: z.string(),
      text: z.string(),
      lang: z.enum(['en', 'ro']).optional(),
      topics: z.array(z.string()).optional(),
      fact: z.looseObject({ type: z.string() }).optional(),
    }),
  ),
  lexical: z.looseObject({}),
  embeddings: z.array(z.array(z.number())).optional(),
});

/**
 * Bump when chunking, stemming, language detection or value topics change what a stored index holds
 * (a passage's language and topics, the BM25 terms). The lexicon is hashed in, so a lexicon change needs no bump.
 */
const INDEX_FORMAT = 8;
let builder: string | undefined;

/** Pure: the stamp of the code and lexicon that build indexes now. */
export function indexBuilder(): string {
  builder ??= `${INDEX_FORMAT}.${createHash('sha256').update(JSON.stringify(lexicon.data)).digest('base64url').slice(0, 12)}`;
  return builder;
}

const OPTIONS = {
  fields: ['title', 'text'],
  storeFields: [],
  idField: 'id',
  tokenize: (text: string) => words(text),
  processTerm: (term: string) => searchTerm(term) ?? null,
};

/**
 * One tenant's passages, searchable by BM25 (MiniSearch) with diacritics folded and Romanian and
 * English stemming, plus embeddings when present, combined by reciprocal rank fusion. An index only
 * ever holds one tenant's chunks, so a search cannot reach another tenant.
 */
export class SearchIndex {
  private readonly byId: Map<string, { chunk: Chunk; position: number }>;
  private matcher: FactMatcher | undefined;

  private constructor(
    readonly version: number,
    readonly chunks: Chunk[],
    private readonly lexical: MiniSearch<Chunk>,
    readonly embeddings: number[][] | undefined,
    /** What built this index; see `indexBuilder()`. */
    readonly builder: string | undefined,
  ) {
    this.byId = new Map(chunks.map((chunk, position) => [chunk.id, { chunk, position }]));
  }

  static build(version: number, chunks: Chunk[], embeddings?: number[][]): SearchIndex {
    const lexical = new MiniSearch<Chunk>(OPTIONS);
    lexical.addAll(chunks);
    return new SearchIndex(version, chunks, lexical, embeddings, indexBuilder());
  }

  static load(serialized: SerializedIndex): SearchIndex {
    const lexical = MiniSearch.loadJS<Chunk>(serialized.lexical as Parameters<typeof MiniSearch.loadJS>[0], OPTIONS);
    return new SearchIndex(serialized.version, serialized.chunks, lexical, serialized.embeddings, serialized.builder);
  }

  serialize(): SerializedIndex {
    return {
      version: this.version,
      ...(this.builder ? { builder: this.builder } : {}),
      chunks: this.chunks,
      lexical: this.lexical.toJSON(),
      ...(this.embeddings ? { embeddings: this.embeddings } : {}),
    };
  }

  /** The lexicon-aware single-fact matcher over this index's passages (built on first use). */
  get facts(): FactMatcher {
    this.matcher ??= new FactMatcher(this.chunks);
    return this.matcher;
  }

  /**
   * Top passages for a query: BM25, the bilingual lexicon ranking and, when this index has embeddings
   * and a `queryVector` is given, the semantic ranking, fused by reciprocal rank. `previous` is the
   * earlier customer turn, so "how much?" after "do you do whitening?" still finds whitening.
   */
  search(query: string, limit = 5, queryVector?: number[], previous = ''): Hit[] {
    const factRank = new Map(this.facts.rank(query, previous).map((f, i) => [f.chunk.id, i]));
    query = previous ? `${query}\n${previous}` : query;
    const lexicalHits = this.lexical.search(query, {
      boost: { title: 2 },
      prefix: (term) => term.length >= 4,
      fuzzy: (term) => (term.length >= 6 ? 0.15 : false),
      combineWith: 'OR',
    });
    const lexicalRank = new Map(lexicalHits.map((h, i) => [String(h.id), { rank: i, score: h.score }]));
    const semanticRank = new Map<string, { rank: number; cosine: number }>();
    if (queryVector && this.embeddings) {
      const scored = this.chunks
        .map((c, i) => ({ id: c.id, cosine: cosine(queryVector, this.embeddings?.[i] ?? []) }))
        .sort((a, b) => b.cosine - a.cosine);
      for (const [i, s] of scored.slice(0, 50).entries()) semanticRank.set(s.id, { rank: i, cosine: s.cosine });
    }
    const ids = new Set([...lexicalRank.keys(), ...semanticRank.keys(), ...factRank.keys()]);
    const K = 60;
    const hits: Hit[] = [];
    for (const id of ids) {
      const entry = this.byId.get(id);
      if (!entry) continue;
      const l = lexicalRank.get(id);
      const s = semanticRank.get(id);
      const f = factRank.get(id);
      const fused = (l ? 1 / (K + l.rank) : 0) + (s ? 1 / (K + s.rank) : 0) + (f !== undefined ? 1 / (K + f) : 0);
      hits.push({ chunk: entry.chunk, score: fused, lexical: l?.score ?? 0, ...(s ? { cosine: s.cosine } : {}) });
    }
    return hits.sort((a, b) => b.score - a.score || b.lexical - a.lexical).slice(0, limit);
  }
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
