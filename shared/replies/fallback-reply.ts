import {
  CONFIDENT,
  confidentFact,
  type FactMatcher,
  type FactScore,
  fold,
  lexiconConcepts,
  saysNothing,
} from '../knowledge/index.js';

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
  // "Which service is the cheapest?" compares many facts: one fact alone would read as the answer.
  if (matcher.hasForeignSentence(question) || asksToCompare(question)) return { confidence: 0, usedHistory: false };
  const aloneRanked = matcher.rank(question);
  const alone = confidentFact(aloneRanked);
  const decided = (d: { best?: FactScore; confidence: number }, usedHistory: boolean): FallbackDecision => ({
    ...(d.best ? { hit: d.best } : {}),
    confidence: d.confidence,
    usedHistory,
  });
  // "ok" or "👍" after an answer asks nothing: read with the previous turn it would repeat that answer. "is it far?"
  // or "10:00" says as little to the lexicon, but asks.
  if (!previousTurn.trim() || (saysNothing(question) && !/[\d?]/.test(question))) return decided(alone, false);
  const withHistory = confidentFact(matcher.rank(question, previousTurn, focus));
  const staysOnFocus = withHistory.best !== undefined && focus.includes(withHistory.best.chunk.id);
  // The previous turn may fill in what the new message leaves out, never outweigh what it says clearly ("and is
  // there a deposit?" after a service is about deposits): then the passage found with it must cover the new
  // message as well as the best passage found without it.
  const top = aloneRanked[0];
  const clearAlone = top !== undefined && top.specific > 0 && top.coverage >= CONFIDENT.fullCoverage;
  const coverage = (id: string | undefined) => aloneRanked.find((s) => s.chunk.id === id)?.coverage ?? 0;
  const historyFits = !clearAlone || coverage(withHistory.best?.chunk.id) >= top.coverage;
  if (!historyFits) return decided(alone, false);
  if (!alone.best || (staysOnFocus && !focus.includes(alone.best.chunk.id))) return decided(withHistory, true);
  return decided(alone, false);
}

const THANKS = /\b(thanks?|thank you|thx|ty|cheers|mersi|merci|multumesc|multumim|multam|mersii)\b/;
const HELLO = /\b(hi|hello|hey|buna|salut|servus|neata|good (morning|afternoon|evening)|buna (ziua|seara|dimineata))\b/;

/**
 * Pure: what a message that asks nothing is: thanks, or a greeting ("Mulțumesc!", "Bună ziua!"). A
 * polite message gets a polite word back, never the last answer again and never a colleague.
 */
export function courtesyOf(text: string): 'thanks' | 'hello' | undefined {
  if (!saysNothing(text)) return undefined;
  const f = fold(text);
  return THANKS.test(f) ? 'thanks' : HELLO.test(f) ? 'hello' : undefined;
}

/** The polite word back, in the customer's language. */
export const COURTESY = {
  en: { thanks: "You're welcome!", hello: 'Hello! How can we help you?' },
  ro: { thanks: 'Cu plăcere!', hello: 'Bună! Cu ce vă putem ajuta?' },
} as const;

/** Pure: whether a message asks to compare the business's offers ("the cheapest", "cel mai rapid"). */
export function asksToCompare(text: string): boolean {
  return lexiconConcepts(text).includes('comparison');
}
