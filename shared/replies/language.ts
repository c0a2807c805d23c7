import { languageScores } from '../knowledge/index.js';

export type ReplyLanguage = 'en' | 'ro';

/**
 * Pure: the language to answer a burst in. The whole burst decides when it is clear; otherwise the
 * conversation's language so far (the last reply's, then the earlier customer messages'), so one
 * conversation does not flip on "ok" or "10:00?"; then the tenant's first language. A language the
 * tenant does not answer in falls back to its first one.
 */
export function replyLanguage(
  burst: string,
  history: { previousReply?: string; earlierCustomerText?: string },
  tenantLanguages: string[],
): ReplyLanguage {
  const allowed = tenantLanguages.filter((l): l is ReplyLanguage => l === 'en' || l === 'ro');
  const first: ReplyLanguage = allowed[0] ?? 'en';
  const pick = (l: ReplyLanguage) => (allowed.includes(l) ? l : first);
  const s = languageScores(burst);
  if (Math.abs(s.ro - s.en) >= 2 || (s.ro !== s.en && !history.previousReply && !history.earlierCustomerText))
    return pick(s.ro > s.en ? 'ro' : 'en');
  if (history.previousReply === 'en' || history.previousReply === 'ro') {
    // A clear one-word lean towards the other language still switches only if the earlier text agrees.
    return pick(history.previousReply);
  }
  if (history.earlierCustomerText) {
    const h = languageScores(`${history.earlierCustomerText} ${burst}`);
    if (h.ro !== h.en) return pick(h.ro > h.en ? 'ro' : 'en');
  }
  return s.ro !== s.en ? pick(s.ro > s.en ? 'ro' : 'en') : first;
}
