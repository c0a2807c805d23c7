import {
  CONFIDENT,
  confidentFact,
  type FactMatcher,
  type FactScore,
  fold,
  lexiconConcepts,
  namesClockTime,
  ownHoursAmongEqual,
  saysNothing,
  words,
} from '../knowledge/index.js';
import { questionParts } from './question-parts.js';

export interface FallbackDecision {
  /** The passage to answer with, when one matches clearly. */
  hit?: FactScore;
  /** 0–1: how much of the question the passage covers, lowered when the runner-up is close. */
  confidence: number;
  /** Whether the previous customer turn was needed to decide ("how much?" after "do you do whitening?"). */
  usedHistory: boolean;
  /** A message of several questions: the facts that answer them in order, with the question each answers. */
  answers?: Array<{ hit: FactScore; question: string }>;
  /** Some of those questions, or part of the one asked, found no fact: that is left to a colleague. */
  unanswered?: true;
}

/**
 * Pure: the fact that answers, or none; for a message of several questions, the fact of each (`severalFacts`).
 * A sentence only about things the business never wrote about ("Do you do braces?") is a handoff. A fact is
 * clear enough at `threshold` (the tenant's `handoffThreshold`). The new message is tried
 * alone; the previous customer turn is added, at a lower weight, when the message is not clear alone or
 * when with it the answer stays on what the last reply was about (`focus`: "is it free?" after the
 * parking answer), or when the message asks for a value that passage holds ("how long does it last?"). A
 * message that names a time of day is answered only by a passage that names one. Anything short of a
 * clear match is a handoff: the fallback never picks between close matches.
 */
export function decideFallback(
  matcher: FactMatcher,
  question: string,
  previousTurn = '',
  focus: string[] = [],
  threshold: number = CONFIDENT.coverage,
): FallbackDecision {
  const parts = questionParts(question);
  const several = severalFacts(matcher, parts, previousTurn, focus, threshold);
  if (several) return several;
  const decision = bestFact(matcher, question, previousTurn, focus, parts.length <= 1);
  // "Is the sauna available after 10pm?": a time of day asked of a passage that names none ("Sauna: 100 RON per
  // hour") would read as a yes.
  const lacksTime = namesClockTime(question) && !decision.hit?.chunk.topics?.includes('clock');
  // "How much is parking if I leave my car?" asked of "the car waits in car park P1" would read as an answer.
  const lacksPrice = decision.hit && matcher.lacksAskedPrice(question, decision.hit.chunk);
  return decision.hit && (lacksTime || lacksPrice) ? { confidence: 0, usedHistory: false } : decision;
}

/**
 * "How long does the appointment take?" or "cât durează ședința?" after the whitening answer asks the whitening's
 * duration, not for the booking link (nor for "sessions" the business never wrote about): the message names only
 * the visit, and the service the conversation is about holds the value.
 */
function valueOfVisit(
  matcher: FactMatcher,
  question: string,
  previousTurn: string,
  focus: string[],
): FallbackDecision | undefined {
  if (focus.length !== 1 || !previousTurn.trim() || !matcher.asksValueOfVisit(question)) return undefined;
  const service = matcher.rank(question, previousTurn, focus).find((s) => s.chunk.id === focus[0]);
  if (service?.chunk.kind !== 'service' || !matcher.asksValueIn(question, service.chunk)) return undefined;
  return { hit: service, confidence: CONFIDENT.fullCoverage, usedHistory: true };
}

/**
 * The clear fact for one question; with `oneQuestion`, also a fact far ahead of the rest (`FAR_AHEAD`), said with the
 * rest left to a colleague (a message of several read whole would get one fact for all of them).
 */
function bestFact(
  matcher: FactMatcher,
  question: string,
  previousTurn: string,
  focus: string[],
  oneQuestion: boolean,
): FallbackDecision {
  // "Which service is the cheapest?" compares many facts: one fact alone would read as the answer.
  if (asksToCompare(question)) return { confidence: 0, usedHistory: false };
  const asWritten = matcher.faqAskedAsWritten(question);
  if (asWritten) return { hit: asWritten, confidence: 1, usedHistory: false };
  const visit = valueOfVisit(matcher, question, previousTurn, focus);
  if (visit) return visit;
  if (matcher.hasForeignSentence(question)) return { confidence: 0, usedHistory: false };
  const aloneRanked = matcher.rank(question);
  const alone = confidentFact(aloneRanked, { farAhead: oneQuestion });
  // Asked for the hours by name, the business's own hours answer, though a service's name says "program" too.
  const hours =
    !alone.best && lexiconConcepts(question).includes('hours') ? ownHoursAmongEqual(aloneRanked) : undefined;
  if (hours) return { hit: hours, confidence: hours.coverage, usedHistory: false };
  const decided = (
    d: { best?: FactScore; confidence: number; partial?: true },
    usedHistory: boolean,
  ): FallbackDecision => ({
    ...(d.best ? { hit: d.best } : {}),
    confidence: d.confidence,
    usedHistory,
    ...(d.partial ? { unanswered: true as const } : {}),
  });
  // "ok" or "👍" after an answer asks nothing: read with the previous turn it would repeat that answer. "is it far?"
  // or "10:00" says as little to the lexicon, but asks.
  if (!previousTurn.trim() || (saysNothing(question) && !/[\d?]/.test(question))) return decided(alone, false);
  const historyRanked = matcher.rank(question, previousTurn, focus);
  const withHistory = confidentFact(historyRanked);
  const staysOnFocus = withHistory.best !== undefined && focus.includes(withHistory.best.chunk.id);
  // "Și sâmbăta?" after "Consultați și copii?" asks the children's days, which that FAQ lists, not the opening hours.
  const about = historyRanked.find((s) => focus.length === 1 && s.chunk.id === focus[0]);
  if (about?.chunk.topics?.includes('which-days') && OPENS_WITH_AND.test(question) && namesOnlyDays(question))
    return { hit: about, confidence: CONFIDENT.fullCoverage, usedHistory: true };
  // The previous turn may fill in what the new message leaves out, never outweigh what it says clearly ("and is
  // there a deposit?" after a service is about deposits): then the passage found with it must cover the new
  // message as well as the best passage found without it, unless alone the message fits several passages
  // equally and the one the conversation is about covers at least half of it.
  const top = aloneRanked[0];
  const clearAlone = top !== undefined && top.specific > 0 && top.coverage >= CONFIDENT.fullCoverage;
  const coverage = (id: string | undefined) => aloneRanked.find((s) => s.chunk.id === id)?.coverage ?? 0;
  const historyFits =
    !clearAlone ||
    (continuesLast(question) && staysOnFocus) ||
    coverage(withHistory.best?.chunk.id) >= top.coverage ||
    (!alone.best && staysOnFocus && coverage(withHistory.best?.chunk.id) >= CONFIDENT.coverage);
  if (!historyFits) return decided(alone, false);
  // "And how long does the result last?" after the keratin answer: the message asks for a value ("how long") that the
  // passage the conversation is about holds, and says nothing else clearly.
  const subject = historyRanked[0];
  if (
    !clearAlone &&
    subject !== undefined &&
    focus.length === 1 &&
    subject.chunk.id === focus[0] &&
    matcher.asksValueIn(question, subject.chunk)
  )
    return { hit: subject, confidence: CONFIDENT.fullCoverage, usedHistory: true };
  // A fact only far ahead alone is said with a colleague to follow: the previous turn may make a clear answer of it.
  if (alone.partial && withHistory.best) return decided(withHistory, true);
  if (!alone.best || (staysOnFocus && !focus.includes(alone.best.chunk.id))) return decided(withHistory, true);
  // Read alone and with the previous turn, the message finds the same fact: as sure as the surer reading.
  if (withHistory.best?.chunk.id === alone.best.chunk.id && withHistory.confidence > alone.confidence)
    return decided(withHistory, true);
  return decided(alone, false);
}

/**
 * "Aveți parcare și cât costă tunsul?": a message of several questions gets each clear answer, in order. Each
 * question is read as the next turn of the conversation, after the one before it ("is there parking and is it
 * free?" asks whether the parking is free), and two questions the same fact answers get it once, for both ("are
 * you open today? and on Saturday?"). A question that no fact answers clearly enough ("do you groom and do you do
 * acupuncture?") is left to a colleague, as one answer alone would leave it unanswered. Without any clear answer
 * the whole message is read as one.
 */
function severalFacts(
  matcher: FactMatcher,
  parts: string[],
  previousTurn: string,
  focus: string[],
  threshold: number,
): FallbackDecision | undefined {
  // Each question is ranked on its own: a message of many is read as one (a colleague's), never ranked many times.
  if (parts.length < 2 || parts.length > MAX_QUESTIONS) return undefined;
  const answers: Array<{ hit: FactScore; question: string; confidence: number }> = [];
  let unanswered = false;
  let before = previousTurn;
  let about = focus;
  for (const part of parts) {
    const found = decideFallback(matcher, part, before, about, threshold);
    const hit = found.hit;
    // "…and is it free?" is about the parking asked before it: a fact found without that question is another topic.
    const strayed =
      answers.length > 0 && refersBack(part) && !found.usedHistory && !about.includes(hit?.chunk.id ?? '');
    before = part;
    if (!hit || found.confidence < threshold || strayed) {
      unanswered = true;
      continue;
    }
    about = [hit.chunk.id];
    // A fact far ahead of the rest answers part of its question: a colleague takes the rest.
    if (found.unanswered) unanswered = true;
    const same = answers.find((a) => a.hit.chunk.id === hit.chunk.id);
    if (same) same.question += `\n${part}`;
    else answers.push({ hit, question: part, confidence: found.confidence });
  }
  const [first] = answers;
  if (!first || (answers.length < 2 && !unanswered)) return undefined;
  return {
    hit: first.hit,
    confidence: Math.min(...answers.map((a) => a.confidence)),
    usedHistory: false,
    answers: answers.map(({ hit, question }) => ({ hit, question })),
    ...(unanswered ? { unanswered: true as const } : {}),
  };
}

/** The most questions one message gets answered one by one. */
const MAX_QUESTIONS = 5;

/**
 * Pure: whether a message opens as the next part of the last question: "și dacă o vreau azi?", "what about for 4
 * people?", "and if it rains?", or "și sâmbăta?" (the service asked about, on Saturday: days and nothing else).
 */
function continuesLast(text: string): boolean {
  return CONTINUES.test(text) || (OPENS_WITH_AND.test(text) && namesOnlyDays(text));
}

const OPENS_WITH_AND = /^\s*(?:și|si|and|but|dar|iar)\s/iu;
const CONTINUES =
  /^\s*(?:(?:și|si|and|but|dar|iar)\s+(?:dacă|daca|if|pentru|for|la|cu|with)|what about|how about)(?!\p{L})/iu;

/** Pure: whether a message names days and nothing else ("and on Saturday?", "și mâine?"). */
function namesOnlyDays(text: string): boolean {
  const concepts = lexiconConcepts(text);
  return concepts.length > 0 && concepts.every((c) => /^days?:|^(?:today|tomorrow)$/.test(c));
}

/** Words that point back at what was asked before them: "is it free?", "e deschisă și ea duminica?". */
const BACK =
  /(?<!\p{L})(?:it|its|it's|that|this|they|them|those|these|el|ea|ei|ele|asta|ăsta|aia|ăla|acesta|aceasta|acela|aceea)(?!\p{L})/iu;

/**
 * Romanian drops the pronoun: "și e disponibilă duminica?" is "is it available on Sunday?". "E nevoie de…", "e
 * posibil să…" and the like ask on their own.
 */
const DROPPED_PRONOUN =
  /^(?:e|este|era|va fi)\s+(?!(?:nevoie|voie|posibil|obligatoriu|necesar|ok|okay|bine|cazul|loc|timp|cineva|ceva|vreo|vreun|o|un|program|deschis|închis|inchis)(?!\p{L}))/iu;

/** Pure: whether a question points back at the one before it rather than naming its own topic. */
function refersBack(part: string): boolean {
  return BACK.test(part) || DROPPED_PRONOUN.test(part.trim());
}

/** Words of a polite message that asks nothing, folded: thanks, greetings, goodbyes and acknowledgements. */
const THANKS = new Set('thanks thank thx ty cheers mersi merci multumesc multumim multam mersii ms'.split(' '));
const HELLO = new Set(
  'hi hello hey hei hallo there everyone all buna salut servus neata morning afternoon evening ziua seara dimineata'.split(
    ' ',
  ),
);
const ACKNOWLEDGE = new Set(
  (
    'ok okay k kk super perfect great cool fine noted sure alright got it understood bye goodbye pa bine bun excelent ' +
    'minunat clar inteles am sigur de acord o zi frumoasa frumos mult you so much a lot very good nice day have te pup va ' +
    'pupici see soon later ne vedem auzim curand'
  ).split(' '),
);

/**
 * Pure: what a message that asks nothing is: thanks, a greeting, or an acknowledgement ("Mulțumesc!",
 * "Bună ziua!", "Ok", "Am înțeles", "👍"). A polite message gets a polite word back, never the last
 * answer again and never a colleague, who would then own a conversation that needs no one.
 */
export function courtesyOf(text: string): 'thanks' | 'hello' | 'acknowledge' | undefined {
  // "😡😡😡" or "ok 👎" is no "glad to help".
  if (/[?\d]/.test(text) || UNFRIENDLY.test(text)) return undefined;
  const said = withoutWhenWeMeet(words(text).map((w) => fold(w)));
  // Without words only a friendly sign acknowledges.
  if (said.length === 0) return FRIENDLY.test(text) ? 'acknowledge' : undefined;
  if (!said.every((w) => THANKS.has(w) || HELLO.has(w) || ACKNOWLEDGE.has(w))) return undefined;
  if (said.some((w) => THANKS.has(w))) return 'thanks';
  if (said.some((w) => HELLO.has(w))) return 'hello';
  return 'acknowledge';
}

/** The little words around when "see you" is: "see you on Saturday then", "ne vedem mâine atunci". */
const WHEN = new Set('on at then next week tonight pe la atunci saptamana viitoare diseara'.split(' '));

/** Pure: the words of a goodbye without when it says the customer will come ("see you on Saturday"). */
function withoutWhenWeMeet(said: string[]): string[] {
  const at = said.findIndex(
    (w, i) => (w === 'see' && said[i + 1] === 'you') || (w === 'ne' && said[i + 1] === 'vedem'),
  );
  if (at < 0) return said;
  const when = said.slice(at + 2).filter((w) => !WHEN.has(w));
  return when.length === 0 || namesOnlyDays(when.join(' ')) ? said.slice(0, at + 2) : said;
}

/** Emoji that acknowledge (a thumbs-up, a heart, a smile), and those that never do. */
const FRIENDLY = /[👍👌🙏❤♥💙💚💛🧡💜🤍🖤🤎💕💖💗💯👏🙌✅✔☺🙂😊😀😃😄😁😍🥰😘🤗🤝✌🌸🌹💐⭐🌟]/u;
const UNFRIENDLY = /[😡😠🤬👎😤😒🙄😞😢😭💔]/u;

/** The polite word back, in the customer's language. */
export const COURTESY = {
  en: {
    thanks: "You're welcome!",
    hello: 'Hello! How can we help you?',
    acknowledge: 'Glad to help. Write to us any time.',
    language: 'Of course, we will write in English. How can we help you?',
    mention: 'Thank you for the mention!',
  },
  ro: {
    thanks: 'Cu plăcere!',
    hello: 'Bună! Cu ce vă putem ajuta?',
    acknowledge: 'Cu drag. Ne puteți scrie oricând.',
    language: 'Sigur, vă scriem în română. Cu ce vă putem ajuta?',
    mention: 'Mulțumim pentru mențiune!',
  },
} as const;

/** Pure: whether a message asks to compare the business's offers ("the cheapest", "cel mai rapid"). */
export function asksToCompare(text: string): boolean {
  return lexiconConcepts(text).includes('comparison');
}
