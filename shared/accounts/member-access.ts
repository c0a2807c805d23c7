import type { AccessCheck } from '../platform/api.js';
import { tenantRepositoryOf } from './tenants.js';

/**
 * The dashboard API's check of every call with a tenant: the tenant exists and is not being deleted,
 * and the caller is still its member, with the role the membership has now. A closed tenant still
 * counts, as in `claimsOf`, so its owner can reopen it.
 */
export const memberAccess: AccessCheck = async (rt, { sub, tenantId }) => {
  const tenants = tenantRepositoryOf(rt);
  const [tenant, member] = await Promise.all([tenants.get(tenantId), tenants.getMember(tenantId, sub)]);
  if (!tenant || tenant.status === 'deleting' || !member) return undefined;
  return member.role;
};
