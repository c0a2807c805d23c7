export { exportContact } from './contact-export.js';
export { deleteContact } from './contact-rights.js';
export { deleteConversation } from './forget-conversation.js';
export { runRetentionPurge } from './purge.js';
export type { SubjectKind, TombstoneDoc } from './tombstones.js';
export { findTombstone, writeTombstone } from './tombstones.js';
