import { getTenant } from '../accounts/tenants.js';
import type { Runtime } from '../platform/runtime.js';
import { getUsage } from '../replies/usage.js';
import { type Entitlement, entitlement } from './entitlement.js';
import { PLANS, TRIAL_DAYS, TRIAL_REPLIES } from './plans.js';
import { getBillingState } from './state.js';

/** A tenant's entitlement now, from its account and billing state. */
export async function tenantEntitlement(r: Runtime, tenantId: string): Promise<Entitlement> {
  const [tenant, state] = await Promise.all([getTenant(r, tenantId), getBillingState(r, tenantId)]);
  return entitlement(
    { status: state?.status, pastDueSince: state?.pastDueSince, accountCreatedAt: tenant?.createdAt ?? new Date(0).toISOString(), graceDays: r.settings.BILLING_GRACE_DAYS, trialDays: TRIAL_DAYS },
    r.clock.now(),
  );
}

/** Whether the bot may answer for this tenant. */
export async function isEntitled(r: Runtime, tenantId: string): Promise<boolean> {
  return (await tenantEntitlement(r, tenantId)).entitled;
}

/** This month's AI replies against the plan's quota (the trial's while there is no plan). */
export async function quotaState(r: Runtime, tenantId: string): Promise<{ used: number; limit: number; exceeded: boolean; plan: string }> {
  const [state, usage] = await Promise.all([getBillingState(r, tenantId), getUsage(r, tenantId, r.clock.now())]);
  const plan = state?.plan ? PLANS[state.plan] : undefined;
  const limit = plan?.monthlyReplies ?? TRIAL_REPLIES;
  return { used: usage.replies, limit, exceeded: usage.replies >= limit, plan: plan?.id ?? 'trial' };
}
