export type { MemberDoc } from './account-schemas.js';
export type { BotSettings } from './bot-settings.js';
export { DEFAULT_TIME_ZONE } from './bot-settings.js';
export type { TenantRepository } from './tenant-repository.js';
export type { TenantDoc } from './tenants.js';
/** `tenantRepositoryOf(rt).forgetTenant(tenantId)` is how erasure removes an account's documents. */
export { getTenant, tenantRepositoryOf } from './tenants.js';
