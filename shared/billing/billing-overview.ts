import type { BillingDeps } from './billing-deps.js';
import { PLANS } from './plans.js';
import { entitlementOf, quotaOf } from './tenant-entitlement.js';

/** Current plan, status, entitlement, this month's usage and the invoice history, as the dashboard shows them. */
export async function billingOverview(deps: BillingDeps, tenantId: string) {
  const [state, ent, quota, records] = await Promise.all([
    deps.billing.getState(tenantId),
    entitlementOf(deps, tenantId),
    quotaOf(deps, tenantId),
    deps.billing.listRecords(tenantId),
  ]);
  return {
    plan: state?.plan ? PLANS[state.plan].name : 'Trial',
    planId: state?.plan ?? 'trial',
    status: ent.state,
    entitled: ent.entitled,
    ...('graceUntil' in ent ? { graceUntil: ent.graceUntil } : {}),
    ...('trialEndsAt' in ent ? { trialEndsAt: ent.trialEndsAt } : {}),
    usage: { replies: quota.used, limit: quota.limit },
    ...(state?.last4 || state?.cardBrand
      ? { paymentMethod: { type: state.paymentMethodType, brand: state.cardBrand, last4: state.last4 } }
      : {}),
    invoices: records.map((i) => ({
      ...(i.invoiceNumber ? { invoiceNumber: i.invoiceNumber } : {}),
      status: i.status,
      amountDue: i.amountDue,
      amountPaid: i.amountPaid,
      currency: i.currency.toUpperCase(),
      createdAt: i.createdAt,
      ...(i.paidAt ? { paidAt: i.paidAt } : {}),
    })),
  };
}
