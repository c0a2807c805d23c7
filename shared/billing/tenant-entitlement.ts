import { getTenant, type TenantDoc } from '../accounts/index.js';
import type { Runtime } from '../platform/runtime.js';
import { type Entitlement, entitlement } from './entitlement-rules.js';
import { PLANS, TRIAL_DAYS, TRIAL_REPLIES } from './plans.js';
import { type BillingCustomerDoc, getBillingState } from './state.js';
import { getUsage } from './usage.js';

/** A tenant's entitlement now, from its account and billing state (read here unless given). */
export async function tenantEntitlement(
  rt: Runtime,
  tenantId: string,
  known: { tenant?: TenantDoc; state?: BillingCustomerDoc | null } = {},
): Promise<Entitlement> {
  const [tenant, state] = await Promise.all([
    known.tenant ?? getTenant(rt, tenantId),
    known.state !== undefined ? (known.state ?? undefined) : getBillingState(rt, tenantId),
  ]);
  return entitlement(
    {
      status: state?.status,
      pastDueSince: state?.pastDueSince,
      accountCreatedAt: tenant?.createdAt ?? new Date(0).toISOString(),
      graceDays: rt.settings.BILLING_GRACE_DAYS,
      trialDays: TRIAL_DAYS,
    },
    rt.clock.now(),
  );
}

/** Whether the bot may answer for this tenant. */
export async function isEntitled(rt: Runtime, tenant: TenantDoc): Promise<boolean> {
  return (await tenantEntitlement(rt, tenant.id, { tenant })).entitled;
}

/** Entitlement and this month's quota together, reading the billing state once (the reply path). */
export async function answerBudget(
  rt: Runtime,
  tenant: TenantDoc,
): Promise<{ entitled: boolean; quota: Awaited<ReturnType<typeof quotaState>> }> {
  const state = (await getBillingState(rt, tenant.id)) ?? null;
  const [ent, quota] = await Promise.all([
    tenantEntitlement(rt, tenant.id, { tenant, state }),
    quotaState(rt, tenant.id, state),
  ]);
  return { entitled: ent.entitled, quota };
}

/** This month's AI replies against the plan's quota (the trial's while there is no plan). */
export async function quotaState(
  rt: Runtime,
  tenantId: string,
  known?: BillingCustomerDoc | null,
): Promise<{ used: number; limit: number; exceeded: boolean; plan: string }> {
  const [state, usage] = await Promise.all([
    known !== undefined ? (known ?? undefined) : getBillingState(rt, tenantId),
    getUsage(rt, tenantId, rt.clock.now()),
  ]);
  const plan = state?.plan ? PLANS[state.plan] : undefined;
  const limit = plan?.monthlyReplies ?? TRIAL_REPLIES;
  return { used: usage.replies, limit, exceeded: usage.replies >= limit, plan: plan?.id ?? 'trial' };
}
