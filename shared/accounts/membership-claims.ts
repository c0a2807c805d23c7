import type { MemberDoc } from './account-schemas.js';
import type { TenantRepository } from './tenant-repository.js';

/** The tenant and role a person's next access token carries; empty before sign-up. */
export interface MembershipClaims {
  tenantId?: string;
  role?: MemberDoc['role'];
}

/**
 * The claims for a person, from their membership. Someone who belongs to more than one business gets
 * the one they own, else the oldest membership (the dashboard has no tenant switcher yet).
 */
export async function claimsOf(tenants: TenantRepository, sub: string): Promise<MembershipClaims> {
  const active: MemberDoc[] = [];
  for (const m of await tenants.membershipsOf(sub)) {
    const tenant = await tenants.get(m.tenantId);
    // A deleted business gives no claims; a closed one still does, so its owner can reopen it.
    if (tenant && tenant.status !== 'deleting') active.push(m);
  }
  active.sort(
    (a, b) => Number(b.role === 'owner') - Number(a.role === 'owner') || a.createdAt.localeCompare(b.createdAt),
  );
  const chosen = active[0];
  return chosen ? { tenantId: chosen.tenantId, role: chosen.role } : {};
}
