export type { AuditDoc } from './audit.js';
export { audit } from './audit.js';
