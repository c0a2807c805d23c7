export { exportContact } from './contact-export.js';
export { deleteContact } from './contact-rights.js';
export { deleteConversation } from './forget-conversation.js';
export { cosmosPrivacyRecordsRepository, saveBreachNotice } from './privacy-records-repository.js';
export { runRetentionPurge } from './purge.js';
export type { SubjectKind, TombstoneDoc } from './tombstones.js';
export { findTombstone, writeTombstone } from './tombstones.js';
