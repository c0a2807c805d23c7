import type { Runtime } from '../platform/runtime.js';
import { billingRepository } from './billing-stores.js';
import type { BillingCustomerDoc } from './documents.js';

export type { BillingCustomerDoc };

export function getBillingState(rt: Runtime, tenantId: string): Promise<BillingCustomerDoc | undefined> {
  return billingRepository(rt).getState(tenantId);
}

/** The tenant that owns a Stripe customer (a platform-wide lookup). */
export function tenantOfCustomer(rt: Runtime, customerId: string): Promise<string | undefined> {
  return billingRepository(rt).tenantOfCustomer(customerId);
}
