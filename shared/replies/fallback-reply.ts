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
 * Pure: the one fact that answers, or none. A message with a sentence only about things the business
 * never wrote about ("Do you do braces? Can I pay in instalments?" at a clinic without braces) is a
 * handoff: answering the other sentence alone would read as a yes to both. The new message is tried
 * alone; the previous customer turn is added, at a lower weight, when the message is not clear alone or
 * when with it the answer stays on what the last reply was about (`focus`: "is it free?" after the
 * parking answer). Anything short of a clear match is a handoff: the fallback never picks between close matches.
 */
export function decideFallback(
  matcher: FactMatcher,
  question: string,
  previousTurn = '',
  focus: string[] = [],
): FallbackDecision {
  if (matcher.hasForeignSentence(question)) return { confidence: 0, usedHistory: false };
  const alone = confidentFact(matcher.rank(question));
  const decided = (d: { best?: FactScore; confidence: number }, usedHistory: boolean): FallbackDecision => ({
    ...(d.best ? { hit: d.best } : {}),
    confidence: d.confidence,
    usedHistory,
  });
  if (!previousTurn.trim()) return decided(alone, false);
  const withHistory = confidentFact(matcher.rank(question, previousTurn, focus));
  const staysOnFocus = withHistory.best !== undefined && focus.includes(withHistory.best.chunk.id);
  if (!alone.best || (staysOnFocus && !focus.includes(alone.best.chunk.id))) return decided(withHistory, true);
  return decided(alone, false);
}
