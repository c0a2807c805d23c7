export type { Chunk, Fact } from './chunking.js';
export { addFaqEntry } from './create-entry.js';
export { embed } from './embeddings.js';
export type { FactMatcher, FactScore } from './fact-match.js';
export { CONFIDENT, confidentFact, ownHoursAmongEqual } from './fact-match.js';
export type { Lang, OpeningHours } from './hours.js';
export {
  ALL_DAY_EVERY_DAY,
  fromBusinessHours,
  hoursAnswer,
  intervalsOn,
  localMoment,
  namesUnlistedHoliday,
  nextOpening,
  openState,
} from './hours.js';
export { forgetKnowledgeBase, loadCurrentIndex, loadIndex, newEntryId } from './knowledge-base.js';
export { asksKindOnly, greetingPhrases, lexiconConcepts, lexiconLanguage, saysNothing } from './lexicon.js';
export { tenantOpeningHours } from './profile.js';
export type { SearchIndex } from './search-index.js';
export { fold, guessLanguage, languageScores, searchTerm, sentencesOf, words } from './text.js';
export { namesClockTime } from './value-topics.js';
