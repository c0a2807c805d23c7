import { readDoc } from '../platform/document-store.js';
import type { Runtime } from '../platform/runtime.js';
import type { SubscriptionStatus } from './entitlement-rules.js';
import type { Plan } from './plans.js';

/** A tenant's billing state: its Stripe customer and subscription, and the payment facts §5.4 allows. */
export interface BillingCustomerDoc {
  id: 'billing';
  tenantId: string;
  type: 'billing-customer';
  customerId: string;
  subscriptionId?: string;
  status?: SubscriptionStatus;
  plan?: Plan['id'];
  currentPeriodEnd?: string;
  pastDueSince?: string;
  canceledAt?: string;
  billingCountry?: string;
  paymentMethodType?: string;
  cardBrand?: string;
  last4?: string;
  createdAt: string;
  updatedAt: string;
}

export function getBillingState(rt: Runtime, tenantId: string): Promise<BillingCustomerDoc | undefined> {
  return readDoc<BillingCustomerDoc>(rt.cosmos.container('billing'), 'billing', tenantId);
}

/** The tenant that owns a Stripe customer (a platform-wide lookup). */
export async function tenantOfCustomer(rt: Runtime, customerId: string): Promise<string | undefined> {
  const { resources } = await rt.cosmos
    .container('billing')
    .items.query<{ tenantId: string }>({
      query: "SELECT c.tenantId FROM c WHERE c.type = 'billing-customer' AND c.customerId = @c",
      parameters: [{ name: '@c', value: customerId }],
    })
    .fetchAll();
  return resources[0]?.tenantId;
}
