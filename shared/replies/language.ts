import { fold, words } from '../knowledge/index.js';

export type ReplyLanguage = 'en' | 'ro';

const RO = new Set(
  (
    'si sa ce cu pentru este aveti cat cata cate cand unde vreau buna program costa pret multumesc faceti puteti nu da la pe de un o imi ' +
    'va mai cum sunt sunteti ati am as fi poti pot doresc dumneavoastra voastra noastra acum azi maine sambata duminica luni marti miercuri joi vineri ' +
    'ora ore care daca dar iar sau nici foarte bine salut servus lei aici acolo inca deja doar tot toate'
  ).split(' '),
);
const EN = new Set(
  (
    'the and is are do does you what how when where can could would i a an to for price open much have your want please hi hello book ' +
    'my me it of in on at with this that there any there is was will be get need today tomorrow thanks thank yes no ok still also just which who why'
  ).split(' '),
);

/** Pure: evidence for each language in a text: Romanian letters count strongly, then common words. */
export function languageScores(text: string): { en: number; ro: number } {
  let ro = (text.match(/[ăâîșşțţ]/gi) ?? []).length > 0 ? 3 : 0;
  let en = 0;
  for (const w of words(text)) {
    const f = fold(w);
    if (RO.has(f)) ro++;
    if (EN.has(f)) en++;
  }
  return { en, ro };
}

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
