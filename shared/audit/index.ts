export type { AuditDoc } from './audit.js';
export { type AuditEntry, type AuditPort, audit, auditTo } from './audit.js';
export { type AuditRepository, cosmosAuditRepository, memoryAuditRepository } from './audit-repository.js';
