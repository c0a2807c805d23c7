export { knowledgeRoutes } from './api.js';
export type { KbEntryDoc } from './schemas.js';
export { buildIndex, listEntries, markChanged } from './store.js';
export { searchTerms } from './text.js';
