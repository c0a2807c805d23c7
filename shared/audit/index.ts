export { type AuditEntry, type AuditPort, audit, auditTo } from './audit.js';
/** `cosmosAuditRepository(rt.cosmos).forgetTenant(tenantId)` is how erasure removes a tenant's log. */
export { cosmosAuditRepository, sweepAuditBefore } from './audit-repository.js';
