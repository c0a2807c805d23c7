import snowball from 'snowball-stemmers';

const ro = snowball.newStemmer('romanian');
const en = snowball.newStemmer('english');

/** Removes diacritics (ș, ț, ă, î, â, é…) and lowercases, so "Prețuri" and "preturi" meet. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

const STOPWORDS = new Set(
  fold(
    // English
    'a an and are as at be but by can could do does for from have how i if in is it me my of on or our please so that the their there this to us was we what when where which who will with would you your hi hello thanks thank ' +
      // Romanian
      'a ai al ale am ar as asta au ca care ce cat cata cate cu cum da de din dumneavoastra este eu fi în inca la le mai mi ma multumesc ne nu o pe pentru sa sau se si și sunt sunteti ta te tu un una unde va vă voi buna bună salut peste',
  ).split(/\s+/),
);

/** Splits text into word tokens (letters and digits, any script). */
export function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * One search term: folded, stop words dropped, then stemmed by the Romanian and the English Snowball
 * stemmers in turn (each leaves the other language's words mostly alone).
 */
export function searchTerm(word: string): string | null {
  const folded = fold(word);
  if (folded.length < 2 || STOPWORDS.has(folded)) return null;
  return stem(folded);
}

/** A folded word's stem: Romanian then English Snowball; numbers stay as they are. */
export function stem(folded: string): string {
  if (/^\d+$/.test(folded)) return folded;
  return en.stem(ro.stem(folded));
}

export { STOPWORDS };

/** The search terms of a text. */
export function searchTerms(text: string): string[] {
  return words(text)
    .map(searchTerm)
    .filter((t): t is string => t !== null);
}

const RO_HINTS = new Set([
  'si',
  'sa',
  'ce',
  'cu',
  'pentru',
  'este',
  'aveti',
  'cat',
  'cand',
  'unde',
  'vreau',
  'buna',
  'program',
  'costa',
  'pret',
  'multumesc',
  'faceti',
  'puteti',
  'nu',
  'da',
  'la',
  'pe',
  'de',
  'un',
  'o',
  'imi',
  'va',
  'mai',
  'cum',
]);
const EN_HINTS = new Set([
  'the',
  'and',
  'is',
  'do',
  'you',
  'what',
  'how',
  'when',
  'where',
  'can',
  'i',
  'a',
  'to',
  'for',
  'price',
  'open',
  'much',
  'does',
  'have',
  'your',
  'want',
  'please',
  'hi',
  'hello',
  'book',
]);

/** A light guess between Romanian and English: Romanian diacritics, then common words. */
export function detectLanguage(text: string): 'ro' | 'en' {
  if (/[ăâîșşțţ]/i.test(text)) return 'ro';
  let ro = 0;
  let enScore = 0;
  for (const w of words(text)) {
    const f = fold(w);
    if (RO_HINTS.has(f)) ro++;
    if (EN_HINTS.has(f)) enScore++;
  }
  return ro > enScore ? 'ro' : 'en';
}
