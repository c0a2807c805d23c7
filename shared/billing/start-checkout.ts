import { NotFoundError } from '../platform/domain-errors.js';
import type { BillingDeps } from './billing-deps.js';
import type { Plan } from './plans.js';

export type Actor = { sub: string; role: string; ip?: string };

/** Starts a Stripe Checkout for a plan; the owner is redirected to the returned URL. */
export async function startCheckout(
  deps: BillingDeps,
  tenantId: string,
  actor: Actor,
  plan: Plan['id'],
): Promise<{ url: string }> {
  const tenant = await deps.tenant(tenantId);
  if (!tenant) throw new NotFoundError('account');
  const state = await deps.billing.getState(tenantId);
  const { settings } = deps;
  const price = {
    starter: settings.STRIPE_PRICE_STARTER,
    growth: settings.STRIPE_PRICE_GROWTH,
    pro: settings.STRIPE_PRICE_PRO,
  }[plan];
  const session = await deps.stripe.checkout({
    mode: 'subscription',
    line_items: [{ price, quantity: 1 }],
    client_reference_id: tenantId,
    ...(state?.customerId
      ? { customer: state.customerId }
      : tenant.owner
        ? { customer_email: tenant.owner.email }
        : {}),
    subscription_data: { metadata: { tenantId } },
    metadata: { tenantId },
    success_url: `${settings.PUBLIC_BASE_URL}/billing/done?session={CHECKOUT_SESSION_ID}`,
    cancel_url: `${settings.PUBLIC_BASE_URL}/billing`,
  });
  await deps.audit({
    tenantId,
    action: 'billing.checkout',
    actor: { sub: actor.sub, role: actor.role },
    ip: actor.ip,
    target: { type: 'checkout-session', id: session.id },
    details: { plan },
  });
  return { url: session.url ?? '' };
}
