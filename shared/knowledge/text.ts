import snowball from 'snowball-stemmers';
import iso from 'stopwords-iso/stopwords-iso.json' with { type: 'json' };

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
  // Composed first: a phone may send "ă" as "a" plus a combining mark, which is not a letter on its own.
  return text.normalize('NFC').match(WORD) ?? [];
}

/** One word token: letters and digits of any script. */
export const WORD = /[\p{L}\p{N}]+/gu;

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
  let s = STEMS.get(folded);
  if (s === undefined) {
    s = snowballStem(folded);
    if (STEMS.size >= STEM_CACHE_SIZE) STEMS.clear();
    STEMS.set(folded, s);
  }
  return s;
}

/** Pure: a folded word's stem, uncached: Romanian Snowball, then English. */
export function snowballStem(folded: string): string {
  // Romanian Snowball takes the "e" off an English singular ("phone" is "phon", "course" "cours", which English Snowball
  // then reads as a plural: "cour") but not off its plural ("phones" is "phone" after English Snowball, "courses"
  // "cours"). A plural in "-es" is stemmed as its singular in "-e", and a final "e" goes: both are "phon", "cour".
  const singular = englishSingularInE(folded);
  if (singular) return snowballStem(singular);
  // The feminine of a Romanian "-ior" adjective keeps an "a" Snowball leaves in ("exterioară" is "exterioar"):
  // it is the same word as "exterior", "interior", "superior".
  return en
    .stem(ro.stem(folded))
    .replace(/ioar$/, 'ior')
    .replace(/(?<=..)e$/, '');
}

/**
 * The singular in "-e" of a word that looks like an English plural in "-es" ("courses", "vegetables", "issues"), or
 * undefined. Not after a vowel but "u", nor after "ss", "x", "z", "ch", "sh" ("ladies", "classes", "boxes",
 * "lunches"), where the singular has no "e". A Romanian word of that shape ("proces", "interes") stems alike either way.
 */
function englishSingularInE(folded: string): string | undefined {
  const m = /^(.*[aeiouy].*(?:[^aeiosxzh]|[^s]s))es$/.exec(folded);
  return m ? `${m[1]}e` : undefined;
}

/**
 * Pure: whether stemming took a final "s" off a Romanian root ("oraș" → "ora", as if an English plural).
 * Romanian plurals never end in "s", so such a word is not the shorter one ("orașe" is towns, not hours).
 */
export function lostRomanianS(folded: string): boolean {
  const root = ro.stem(folded);
  return root.endsWith('s') && stem(folded) === root.slice(0, -1);
}

/** Pure: the Romanian Snowball stem of a folded word alone. */
export function romanianStem(folded: string): string {
  return ro.stem(folded);
}

// The lexicon stems tens of thousands of phrase words at load, most of them many times over ("de", "my",
// "programare"); Snowball takes ~20 µs a word. Bounded, as customer text brings new words without end.
const STEM_CACHE_SIZE = 100_000;
const STEMS = new Map<string, string>();

export { STOPWORDS };

/** Pure: whether a word is written with diacritics ("masă"), so its writer types them. */
export function hasMarks(word: string): boolean {
  return fold(word) !== word.toLowerCase();
}

/**
 * Pure: whether a typed stem keeps every diacritic of a listed one. Inflection may add marks ("nuntă",
 * "nunți"), so only a mark the typed word lacks tells two words apart ("masă" is not "măsea").
 */
export function keepsMarks(typed: string, listed: string): boolean {
  if (fold(typed) !== fold(listed)) return false;
  return [...listed].every((c, i) => !hasMarks(c) || hasMarks(typed[i] ?? ''));
}

/**
 * Pure: a word's stem with its diacritics kept, where the stem is a prefix of the word: "masă" is "mas",
 * "măsea" is "măs". Folding alone makes such pairs one word (table and molar, "pară" and "păr").
 */
export function markedStem(word: string): string {
  const lower = word.normalize('NFC').toLowerCase().replace(/ş/g, 'ș').replace(/ţ/g, 'ț');
  const s = stem(fold(lower));
  const prefix = lower.slice(0, s.length);
  return fold(prefix) === s ? prefix : s;
}

/** English spellings and endings written otherwise in Romanian, for words the two languages share. */
const COGNATE_SPELLINGS: Array<[RegExp, string]> = [
  [/ph/g, 'f'],
  [/th/g, 't'],
  [/ck/g, 'c'],
  [/k/g, 'c'],
  [/w/g, 'v'],
  [/y/g, 'i'],
  [/([a-z])\1/g, '$1'],
  [/([ts])ions?$/, '$1iun'],
  [/ities?$/, 'itat'],
  [/ous$/, 'os'],
  [/([ae])nces?$/, '$1nta'],
];

/**
 * Pure: the stem a folded word shares with its spelling in the other language, where the two write one word
 * apart ("classic" and "clasic", "mission" and "misiune", "quality" and "calitate" do not: only spelling).
 */
export function cognateStem(folded: string): string {
  let s = folded;
  for (const [from, to] of COGNATE_SPELLINGS) s = s.replace(from, to);
  return stem(s);
}

/** The search terms of a text. */
export function searchTerms(text: string): string[] {
  return words(text)
    .map(searchTerm)
    .filter((t): t is string => t !== null);
}

/**
 * Nouns that stopwords-iso lists though a customer asks about them: "Do I need ID?", "a mug", "my back", "masaj de
 * spate". They stay words of their own. (A word that shares its stem with a filler of either language, such as
 * "face" with Romanian "face", "does", is still dropped as that filler.)
 */
const THINGS = new Set(
  (
    'id mug room rooms home homepage fire bill computer group groups information test tip website web webpage ' +
    'year years name number numbers page pages system ring copy keys length width part parts problem ' +
    'problems results text area areas men man member members order orders world index interest point side ' +
    'sides top bottom value amount section detail back front halba spate fata'
  ).split(' '),
);

// Words common enough to carry no topic in either language: a lone one is never read as the other language's word.
const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  [...STOPWORDS, ...iso.en.map(fold), ...iso.ro.map(fold)].filter((w) => !THINGS.has(w)),
);

export { FUNCTION_WORDS };

// Hand lists add the words that tell the languages apart in a DM but are missing from stopwords-iso; a word
// in both ("ok") shows neither.
const RO_WORDS = new Set(
  fold(
    'si sa ce cu pentru este aveti cat cata cate cand unde vreau buna program costa pret multumesc faceti puteti nu da la pe de un o imi ' +
      'va mai cum sunt sunteti ati am as fi poti pot doresc dumneavoastra voastra noastra acum azi maine sambata duminica luni marti miercuri joi vineri ' +
      'ora ore care daca dar iar sau nici foarte bine salut servus lei aici acolo inca deja doar tot toate ' +
      'vrea vrem dati dat iti ne nr pt tel rog mersi ms ok okay pa om bn are an ten',
  ).split(' '),
);
const EN_WORDS = new Set(
  (
    'the and is are do does you what how when where can could would i an to for price open much have your want please hi hello book ' +
    'my me it of on at with this that there any was will be get need today tomorrow thanks thank yes no still also just which who why care ok okay ' +
    'ten sale tie exact'
  ).split(' '),
);
const ISO_RO = new Set(iso.ro.map(fold));
const ISO_EN = new Set(iso.en.map(fold));

/** Pure: which language one folded word shows: the hand lists decide, then a word of one stopwords-iso list only. */
function languageOfWord(f: string): 'en' | 'ro' | undefined {
  const oneOf = (ro: boolean, en: boolean) => (ro === en ? undefined : ro ? 'ro' : 'en');
  if (RO_WORDS.has(f) || EN_WORDS.has(f)) return oneOf(RO_WORDS.has(f), EN_WORDS.has(f));
  return oneOf(ISO_RO.has(f), ISO_EN.has(f));
}

interface PlacedWord {
  word: string;
  opensSentence: boolean;
  shouted: boolean;
  afterNumber: boolean;
  /** A lower-case word between two capitalised ones is part of a name ("Ștefan cel Mare"). */
  inName: boolean;
}

/** The words of a text with where they stand: first in a sentence, typed all in capitals, inside a name. */
function placedWords(text: string): PlacedWord[] {
  const composed = text.normalize('NFC').replace(/ş/g, 'ș').replace(/Ş/g, 'Ș').replace(/ţ/g, 'ț').replace(/Ţ/g, 'Ț');
  const found = [...composed.matchAll(WORD)];
  const capital = (k: number) => /^\p{Lu}/u.test(found[k]?.[0] ?? '');
  return found.map((m, k) => {
    const word = m[0];
    const before = found[k - 1];
    // Only the stretch since the previous word is read, so the whole text is read once.
    const gap = before ? composed.slice((before.index ?? 0) + before[0].length, m.index) : '';
    return {
      word,
      opensSentence: !before || /[.!?\n]/.test(gap),
      shouted: word.length > 1 && word === word.toUpperCase() && word !== word.toLowerCase(),
      afterNumber: k > 0 && /^\d+$/.test(found[k - 1]?.[0] ?? ''),
      inName: !capital(k) && k > 0 && capital(k - 1) && capital(k + 1),
    };
  });
}

const AFTER_NUMBER = new Set(['am', 'pm', 'lei', 'ron', 'euro', 'eur']);
/** Symbols of measure, the same in either language: "180 lei/kg" is no English. */
const MEASURE_SYMBOLS = new Set(['kg', 'g', 'gr', 'mg', 'km', 'm', 'cm', 'mm', 'm2', 'mp', 'l', 'ml', 'kw', 'kwh']);

/**
 * Pure: evidence for each language in a text: how many of its words show one language only. A word
 * with Romanian letters shows Romanian, and so does a Romanian ending, but only as a customer types a
 * word (lower case, all capitals, or first in a sentence): a capital inside a sentence is a name
 * ("Strada Smârdan", "Brașov", "Seoul"), which says nothing of the language around it. Numbers, "am",
 * "pm" and a currency after a number ("50 lei"), and words of both lists ("a", "ok") show neither.
 */
export function languageScores(text: string): { en: number; ro: number } {
  const score = { en: 0, ro: 0 };
  for (const { word, opensSentence, shouted, afterNumber, inName } of placedWords(text)) {
    if (/\d/.test(word) || inName) continue;
    const f = fold(word);
    if ((afterNumber && AFTER_NUMBER.has(f)) || MEASURE_SYMBOLS.has(f)) continue;
    const lower = word === word.toLowerCase();
    const typed = lower || shouted || opensSentence;
    // A capitalised word may still be a name ("Seoul", "Istanbul"): only a verb ending tells it apart.
    const ending = lower ? hasRomanianEnding(f) : typed && RO_VERB_ENDING.test(f);
    const lang = hasMarks(word) ? (typed ? 'ro' : undefined) : (languageOfWord(f) ?? (ending ? 'ro' : undefined));
    if (lang) score[lang]++;
  }
  return score;
}

/**
 * Romanian inflections a word typed without diacritics still shows: the article ("serviciul",
 * "comenzii" aside), the plural genitive ("copiilor"), verb endings ("aveti", "puteti", "lucreaza",
 * "doresc"). Never "-ful" ("careful") or a short word.
 */
const RO_ENDING =
  /^\p{L}{3,}(?:(?<!f)ul|ului|ilor|elor|eaza|easca|esc|iti|eti|ati|area|erea|irea|iunea|arii|erii|irii|iunii)$/u;

/** The verb endings alone: "Livrati", "VINDETI", "Lucreaza" are verbs, where "Seoul" is a name. */
const RO_VERB_ENDING = /^\p{L}{3,}(?:eaza|easca|esc|iti|eti|ati)$/u;

/** Pure: whether a folded word ends as only a Romanian one does ("serviciul", "aveti"). */
export function hasRomanianEnding(folded: string): boolean {
  return RO_ENDING.test(folded);
}

/** A light guess between Romanian and English, for text with no conversation around it. */
export function detectLanguage(text: string): 'ro' | 'en' {
  return guessLanguage(text) ?? 'en';
}

/** Pure: the language a text shows, or undefined when nothing tells ("Parcare gratuita.", "Wi-Fi"). */
export function guessLanguage(text: string): 'ro' | 'en' | undefined {
  const s = languageScores(text);
  return s.ro === s.en ? undefined : s.ro > s.en ? 'ro' : 'en';
}

/** A text ending in an abbreviation of an address, a title or a number ("Str.", "nr.", "Bd.", "Dr.", "tel."). */
const ABBREVIATION_END =
  /(?:^|[\s(])(?:str|nr|bd|bdul|bld|bl|sc|ap|et|jud|sos|șos|dr|prof|ing|sf|st|tel|mr|mrs|ms|ave|blvd|cca|aprox)\.$/iu;

/** Pure: whether a text ends in such an abbreviation, so the text after it goes on the same sentence. */
export function endsWithAbbreviation(text: string): boolean {
  return ABBREVIATION_END.test(text);
}

/**
 * Pure: a text's sentences, split at `boundary`. A dot after an abbreviation ("Str. Sărărie 10", "nr. 5", "Dr. Pop")
 * is not a sentence's end: "Sărărie 10" alone would read as a sentence, and as Romanian.
 */
export function sentencesOf(text: string, boundary: RegExp = /(?<=[.!?])\s+|\n+/): string[] {
  const out: string[] = [];
  for (const part of text.split(boundary)) {
    const last = out.at(-1);
    if (last !== undefined && endsWithAbbreviation(last)) out[out.length - 1] = `${last} ${part}`;
    else out.push(part);
  }
  return out;
}
