import { fold, greetingPhrases, languageScores, lexiconLanguage, saysNothing, words } from '../knowledge/index.js';

export type ReplyLanguage = 'en' | 'ro';

/** Names of the two languages, folded, as a customer asks for one ("English please", "în română"). */
const LANGUAGE_NAMES: Record<string, ReplyLanguage> = {
  english: 'en',
  engleza: 'en',
  englezeste: 'en',
  romanian: 'ro',
  romana: 'ro',
  romaneste: 'ro',
};
/** The other words of such a request, folded. Any other word makes it a question about something else. */
const REQUEST_WORDS = new Set(
  (
    'please pls plz in into speak talk write reply answer can could you we us me use switch to only just do ' +
    'va te rog puteti poti vorbi vorbiti vorbim vorbesti scrieti scrie raspundeti raspunde pe limba doar si'
  ).split(' '),
);
/** A request for a language is short; a longer message that names one is about something else. */
const MAX_REQUEST_WORDS = 6;

/** Pure: the language a customer explicitly asks for ("English please", "puteți vorbi în română?"), if any. */
export function askedLanguage(text: string): ReplyLanguage | undefined {
  const folded = words(text).map((w) => fold(w));
  if (folded.length === 0 || folded.length > MAX_REQUEST_WORDS) return undefined;
  let asked: ReplyLanguage | undefined;
  for (const w of folded) {
    const named = LANGUAGE_NAMES[w];
    if (named) {
      if (asked && asked !== named) return undefined;
      asked = named;
    } else if (!REQUEST_WORDS.has(w)) return undefined;
  }
  return asked;
}

/** How far ahead a burst must be, in words, to move a conversation to the other language. */
const SWITCH_LEAD = 2;

/**
 * Pure: the language to answer a burst in. A customer who asks for a language gets it. With no
 * conversation yet, whatever the burst leans to; otherwise the conversation's language (the last
 * reply's, then the earlier customer messages'), unless the burst is clearly in the other one: ahead by
 * two words and saying something beyond thanks and greetings, so "Mulțumesc!" or "ok thanks" never
 * flips a conversation. Then the tenant's first language. A language the tenant does not answer in
 * falls back to its first one.
 */
export function replyLanguage(
  burst: string,
  history: { previousReply?: string; earlierCustomerText?: string },
  tenantLanguages: string[],
): ReplyLanguage {
  const allowed = tenantLanguages.filter((l): l is ReplyLanguage => l === 'en' || l === 'ro');
  const first: ReplyLanguage = allowed[0] ?? 'en';
  const pick = (l: ReplyLanguage) => (allowed.includes(l) ? l : first);
  const asked = askedLanguage(burst);
  if (asked) return pick(asked);
  const said = languageScores(withoutCourtesy(burst));
  // When what it asks shows no language ("ok thanks" is "ok"), the courtesy still tells.
  const s = said.en === said.ro ? languageScores(burst) : said;
  const lean: ReplyLanguage | undefined = s.ro === s.en ? undefined : s.ro > s.en ? 'ro' : 'en';
  const earlier = conversationLanguage(burst, history);
  if (!earlier) {
    // "doare tare?" shows no language by the usual signs; the lexicon lists "doare" as Romanian only.
    const leaning = lean ?? lexiconLanguage(withoutCourtesy(burst));
    return leaning ? pick(leaning) : first;
  }
  if (lean && lean !== earlier && Math.abs(s.ro - s.en) >= SWITCH_LEAD && !saysNothing(burst)) return pick(lean);
  return pick(earlier);
}

/** Greetings and thanks as they open or close a burst: the lexicon's, the short ones it reads as fillers, and "ok". */
let courtesyEdges: { start: RegExp; end: RegExp } | undefined;
function edges(): { start: RegExp; end: RegExp } {
  if (!courtesyEdges) {
    const phrases = [...greetingPhrases(), 'hello', 'hey', 'hi', 'okay', 'ok']
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'))
      .join('|');
    courtesyEdges = {
      start: new RegExp(`^[\\s\\p{P}\\p{Extended_Pictographic}]*(?:${phrases})(?!\\p{L})`, 'iu'),
      end: new RegExp(`(?<!\\p{L})(?:${phrases})[\\s\\p{P}\\p{Extended_Pictographic}]*$`, 'iu'),
    };
  }
  return courtesyEdges;
}

/**
 * Pure: a burst without the greetings and thanks that open or close it, when it says more ("Thank
 * you\naveti parcare?", "Hi! Este scump?"): the question shows the customer's language, the courtesy
 * around it often does not. Only the lexicon's greeting phrases are taken off, never words that also
 * ask ("Have you got wifi?", "Am voucher?").
 */
function withoutCourtesy(burst: string): string {
  const { start, end } = edges();
  let rest = burst;
  for (let previous = ''; previous !== rest; ) {
    previous = rest;
    rest = rest.replace(start, '').replace(end, '');
  }
  return /\p{L}/u.test(rest) ? rest : burst;
}

/** The language a conversation has been in: the last reply's, else what the earlier customer messages lean to. */
function conversationLanguage(
  burst: string,
  history: { previousReply?: string; earlierCustomerText?: string },
): ReplyLanguage | undefined {
  if (history.previousReply === 'en' || history.previousReply === 'ro') return history.previousReply;
  if (!history.earlierCustomerText?.trim()) return undefined;
  const h = languageScores(`${history.earlierCustomerText} ${burst}`);
  return h.ro === h.en ? undefined : h.ro > h.en ? 'ro' : 'en';
}

/** A stored message, as far as the language rule reads it. */
interface HistoryMessage {
  direction: string;
  text?: string;
  lineage?: { language?: unknown };
}

/** Pure: the language to answer a burst in, read from the stored conversation (the same rule on every path). */
export function turnLanguage(burst: string, history: HistoryMessage[], tenantLanguages: string[]): ReplyLanguage {
  const lastOut = [...history].reverse().find((m) => m.direction === 'out');
  const previousReply = lastOut?.lineage?.language;
  return replyLanguage(
    burst,
    {
      ...(typeof previousReply === 'string' ? { previousReply } : {}),
      earlierCustomerText: history
        .filter((m) => m.direction === 'in' && m.text)
        .map((m) => m.text)
        .join('\n'),
    },
    tenantLanguages,
  );
}
