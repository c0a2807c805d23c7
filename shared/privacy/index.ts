export { exportContact } from './contact-export.js';
export { deleteContact } from './contact-rights.js';
export { deleteConversation } from './forget-conversation.js';
export type { PrivacyRecordsRepository } from './privacy-records-repository.js';
export { cosmosPrivacyRecordsRepository, memoryPrivacyRecordsRepository } from './privacy-records-repository.js';
export { runRetentionPurge } from './purge.js';
export type { SubjectKind, TombstoneDoc } from './tombstones.js';
export { findTombstone, writeTombstone } from './tombstones.js';
