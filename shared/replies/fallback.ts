import type { Hit } from '../knowledge/search-index.js';
import { searchTerms } from '../knowledge/text.js';

/**
 * Words that say what kind of thing is asked ("how much", "open", "price") but not which thing.
 * Matching only these is not a clear match: every service has a price.
 */
const GENERIC = new Set(
  searchTerms(
    'price prices cost costs much how many pret preturi cost costa cat cata cate tarif tarife ' +
      'do you have offer make sell aveti faceti oferiti vindeti puteti ' +
      'service services serviciu servicii salon salonul',
  ),
);

export interface FallbackDecision {
  /** The passage to answer with, when one matches clearly. */
  hit?: Hit;
  /** 0–1: how much of the question the passage covers. */
  confidence: number;
  matchedTerms: string[];
}

function matches(queryTerm: string, chunkTerms: Set<string>): boolean {
  if (chunkTerms.has(queryTerm)) return true;
  if (queryTerm.length < 4) return false;
  for (const t of chunkTerms) if (t.length >= 4 && (t.startsWith(queryTerm) || queryTerm.startsWith(t))) return true;
  return false;
}

/**
 * Pure: does the best passage clearly answer the question? It must cover at least half of the
 * question's specific words (not just "price" or "how much"),
 * and clearly beat the runner-up. Otherwise the answer is a handoff: the fallback never guesses.
 */
export function decideFallback(question: string, hits: Hit[]): FallbackDecision {
  const terms = [...new Set(searchTerms(question))];
  const [top, second] = hits;
  if (!top || terms.length === 0) return { confidence: 0, matchedTerms: [] };
  const chunkTerms = new Set(searchTerms(`${top.chunk.title} ${top.chunk.text}`));
  const matched = terms.filter((t) => matches(t, chunkTerms));
  // Coverage counts the words that name the thing asked about; "how much", "price" only say what kind of question it is.
  const specificTerms = terms.filter((t) => !GENERIC.has(t));
  const specific = matched.filter((t) => !GENERIC.has(t));
  const coverage = specificTerms.length > 0 ? specific.length / specificTerms.length : 0;
  const margin = second ? top.lexical / Math.max(second.lexical, 1e-9) : Number.POSITIVE_INFINITY;
  const confidence = Math.min(1, coverage * (margin >= 1.15 ? 1 : 0.6));
  const clear = specific.length > 0 && coverage >= 0.5 && margin >= 1.15;
  return { ...(clear ? { hit: top } : {}), confidence: Math.round(confidence * 100) / 100, matchedTerms: matched };
}
