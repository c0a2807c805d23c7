export { knowledgeRoutes } from './api.js';
export { buildIndex, listEntries, markChanged } from './knowledge-base.js';
export type { KbEntryDoc } from './schemas.js';
export { searchTerms } from './text.js';
