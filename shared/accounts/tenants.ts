import type { Runtime } from '../platform/runtime.js';
import { botDefaultsOf, type TenantDoc } from './tenant-doc.js';
import { cosmosTenantRepository, type TenantRepository } from './tenant-repository.js';

export type { TenantDoc } from './tenant-doc.js';

/** The tenants container of a runtime. */
export function tenantRepositoryOf(rt: Runtime): TenantRepository {
  return cosmosTenantRepository(rt.cosmos, botDefaultsOf(rt.settings));
}

/** Reads a tenant, or undefined. Its bot settings are always usable: bad stored fields read as their defaults. */
export async function getTenant(rt: Runtime, tenantId: string): Promise<TenantDoc | undefined> {
  return tenantRepositoryOf(rt).get(tenantId);
}
