import { confidentFact, type FactMatcher, type FactScore } from '../knowledge/index.js';

export interface FallbackDecision {
  /** The passage to answer with, when one matches clearly. */
  hit?: FactScore;
  /** 0–1: how much of the question the passage covers, lowered when the runner-up is close. */
  confidence: number;
  /** Whether the previous customer turn was needed to decide ("how much?" after "do you do whitening?"). */
  usedHistory: boolean;
}

/**
 * Pure: the one fact that answers, or none. The new message is tried alone first; only when it is not
 * clear alone is the previous customer turn added, at a lower weight. Anything short of a clear match
 * (most of the question covered, well ahead of the runner-up) is a handoff: the fallback never guesses.
 */
export function decideFallback(matcher: FactMatcher, question: string, previousTurn = ''): FallbackDecision {
  const alone = confidentFact(matcher.rank(question));
  if (alone.best || !previousTurn.trim())
    return { ...(alone.best ? { hit: alone.best } : {}), confidence: alone.confidence, usedHistory: false };
  const withHistory = confidentFact(matcher.rank(question, previousTurn));
  return {
    ...(withHistory.best ? { hit: withHistory.best } : {}),
    confidence: withHistory.confidence,
    usedHistory: true,
  };
}
