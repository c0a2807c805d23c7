export { knowledgeRoutes } from './api.js';
export type { KbEntryDoc } from './schemas.js';
export { buildIndex, listEntries, markChanged } from './knowledge-base.js';
export { searchTerms } from './text.js';
