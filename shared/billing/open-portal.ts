import { ConflictError } from '../platform/domain-errors.js';
import type { BillingDeps } from './billing-deps.js';
import type { Actor } from './start-checkout.js';

/** Opens the Stripe Customer Portal; a tenant that never subscribed has no customer to open it for. */
export async function openPortal(deps: BillingDeps, tenantId: string, actor: Actor): Promise<{ url: string }> {
  const state = await deps.billing.getState(tenantId);
  if (!state?.customerId) throw new ConflictError('Subscribe to a plan first.');
  const session = await deps.stripe.portal({
    customer: state.customerId,
    return_url: `${deps.settings.PUBLIC_BASE_URL}/billing`,
  });
  await deps.audit({
    tenantId,
    action: 'billing.portal',
    actor: { sub: actor.sub, role: actor.role },
    ip: actor.ip,
    target: { type: 'billing-customer', id: state.customerId },
  });
  return { url: session.url };
}
