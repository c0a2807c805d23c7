import { getTenant, type TenantDoc } from '../accounts/index.js';
import type { Runtime } from '../platform/runtime.js';
import { type Entitlement, entitlement } from './entitlement-rules.js';
import { PLANS, TRIAL_DAYS, TRIAL_REPLIES } from './plans.js';
import { type BillingCustomerDoc, getBillingState } from './state.js';
import { getUsage } from './usage.js';

/** A tenant's entitlement now, from its account and billing state (read here unless given). */
export async function tenantEntitlement(
  r: Runtime,
  tenantId: string,
  known: { tenant?: TenantDoc; state?: BillingCustomerDoc | null } = {},
): Promise<Entitlement> {
  const [tenant, state] = await Promise.all([
    known.tenant ?? getTenant(r, tenantId),
    known.state !== undefined ? (known.state ?? undefined) : getBillingState(r, tenantId),
  ]);
  return entitlement(
    {
      status: state?.status,
      pastDueSince: state?.pastDueSince,
      accountCreatedAt: tenant?.createdAt ?? new Date(0).toISOString(),
      graceDays: r.settings.BILLING_GRACE_DAYS,
      trialDays: TRIAL_DAYS,
    },
    r.clock.now(),
  );
}

/** Whether the bot may answer for this tenant. */
export async function isEntitled(r: Runtime, tenant: TenantDoc): Promise<boolean> {
  return (await tenantEntitlement(r, tenant.id, { tenant })).entitled;
}

/** Entitlement and this month's quota together, reading the billing state once (the reply path). */
export async function answerBudget(
  r: Runtime,
  tenant: TenantDoc,
): Promise<{ entitled: boolean; quota: Awaited<ReturnType<typeof quotaState>> }> {
  const state = (await getBillingState(r, tenant.id)) ?? null;
  const [ent, quota] = await Promise.all([
    tenantEntitlement(r, tenant.id, { tenant, state }),
    quotaState(r, tenant.id, state),
  ]);
  return { entitled: ent.entitled, quota };
}

/** This month's AI replies against the plan's quota (the trial's while there is no plan). */
export async function quotaState(
  r: Runtime,
  tenantId: string,
  known?: BillingCustomerDoc | null,
): Promise<{ used: number; limit: number; exceeded: boolean; plan: string }> {
  const [state, usage] = await Promise.all([
    known !== undefined ? (known ?? undefined) : getBillingState(r, tenantId),
    getUsage(r, tenantId, r.clock.now()),
  ]);
  const plan = state?.plan ? PLANS[state.plan] : undefined;
  const limit = plan?.monthlyReplies ?? TRIAL_REPLIES;
  return { used: usage.replies, limit, exceeded: usage.replies >= limit, plan: plan?.id ?? 'trial' };
}
