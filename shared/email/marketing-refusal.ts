import type { TenantRepository } from '../accounts/index.js';
import type { MarketingRepository } from './marketing-repository.js';
import { emailKey } from './unsubscribe.js';

/**
 * §6 and Art. 21, checked at send time, not only when the mail was queued: marketing goes only to
 * someone who has not objected, and who is either an existing Customer (the soft opt-in: the
 * job names their tenant and they are its owner) or a prospect whose consent is on record and not
 * withdrawn. Returns why not, or undefined when it may go.
 */
export async function marketingRefusal(
  deps: { marketing: MarketingRepository; tenants: Pick<TenantRepository, 'get'> },
  job: { to: string; tenantId?: string },
): Promise<'objection' | 'no_consent' | undefined> {
  const key = emailKey(job.to);
  if (await deps.marketing.hasObjected(key)) return 'objection';
  const address = job.to.trim().toLowerCase();
  if (job.tenantId) {
    const tenant = await deps.tenants.get(job.tenantId);
    if (tenant?.owner?.email?.trim().toLowerCase() === address && tenant.status !== 'closed') return undefined;
  }
  const prospect = await deps.marketing.getProspect(key);
  return prospect?.consentAt && !prospect.withdrawnAt ? undefined : 'no_consent';
}
