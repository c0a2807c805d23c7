import type { TenantDoc } from '../accounts/index.js';
import type { Runtime } from '../platform/runtime.js';
import { type BillingDeps, billingDeps } from './billing-deps.js';
import { type Entitlement, entitlement } from './entitlement-rules.js';
import { PLANS, TRIAL_DAYS, TRIAL_REPLIES } from './plans.js';
import type { BillingCustomerDoc } from './state.js';
import { monthOf } from './usage.js';
import { emptyUsage } from './usage-repository.js';

type EntitlementDeps = Pick<BillingDeps, 'billing' | 'tenant' | 'now' | 'settings'>;
type QuotaDeps = Pick<BillingDeps, 'billing' | 'usage' | 'now'>;
export type QuotaState = { used: number; limit: number; exceeded: boolean; plan: string };

/** A tenant's entitlement now, from its account and billing state (read here unless given). */
export async function entitlementOf(
  deps: EntitlementDeps,
  tenantId: string,
  known: { tenant?: TenantDoc; state?: BillingCustomerDoc | null } = {},
): Promise<Entitlement> {
  const [tenant, state] = await Promise.all([
    known.tenant ?? deps.tenant(tenantId),
    known.state !== undefined ? (known.state ?? undefined) : deps.billing.getState(tenantId),
  ]);
  return entitlement(
    {
      status: state?.status,
      pastDueSince: state?.pastDueSince,
      accountCreatedAt: tenant?.createdAt ?? new Date(0).toISOString(),
      graceDays: deps.settings.BILLING_GRACE_DAYS,
      trialDays: TRIAL_DAYS,
    },
    deps.now(),
  );
}

/** This month's AI replies against the plan's quota (the trial's while there is no plan). */
export async function quotaOf(
  deps: QuotaDeps,
  tenantId: string,
  known?: BillingCustomerDoc | null,
): Promise<QuotaState> {
  const now = deps.now();
  const month = monthOf(now);
  const [state, usage] = await Promise.all([
    known !== undefined ? (known ?? undefined) : deps.billing.getState(tenantId),
    deps.usage.get(tenantId, month).then((u) => u ?? emptyUsage(tenantId, month, now)),
  ]);
  const plan = state?.plan ? PLANS[state.plan] : undefined;
  const limit = plan?.monthlyReplies ?? TRIAL_REPLIES;
  return { used: usage.replies, limit, exceeded: usage.replies >= limit, plan: plan?.id ?? 'trial' };
}

export function tenantEntitlement(
  rt: Runtime,
  tenantId: string,
  known: { tenant?: TenantDoc; state?: BillingCustomerDoc | null } = {},
): Promise<Entitlement> {
  return entitlementOf(billingDeps(rt), tenantId, known);
}

/** Whether the bot may answer for this tenant. */
export async function isEntitled(rt: Runtime, tenant: TenantDoc): Promise<boolean> {
  return (await tenantEntitlement(rt, tenant.id, { tenant })).entitled;
}

/** Entitlement and this month's quota together, reading the billing state once (the reply path). */
export async function answerBudget(rt: Runtime, tenant: TenantDoc): Promise<{ entitled: boolean; quota: QuotaState }> {
  const deps = billingDeps(rt);
  const state = (await deps.billing.getState(tenant.id)) ?? null;
  const [ent, quota] = await Promise.all([
    entitlementOf(deps, tenant.id, { tenant, state }),
    quotaOf(deps, tenant.id, state),
  ]);
  return { entitled: ent.entitled, quota };
}

/** This month's AI replies against the plan's quota (the trial's while there is no plan). */
export function quotaState(rt: Runtime, tenantId: string, known?: BillingCustomerDoc | null): Promise<QuotaState> {
  return quotaOf(billingDeps(rt), tenantId, known);
}
