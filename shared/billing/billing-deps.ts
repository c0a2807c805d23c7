import type Stripe from 'stripe';
import { getTenant, type TenantDoc } from '../accounts/index.js';
import { audit } from '../audit/index.js';
import type { Runtime } from '../platform/runtime.js';
import type { Settings } from '../platform/settings.js';
import type { BillingRepository } from './billing-repository.js';
import { billingRepository, usageRepository } from './billing-stores.js';
import { stripeClient } from './stripe-client.js';
import type { UsageRepository } from './usage-repository.js';

export type AuditEntry = Parameters<typeof audit>[1];

/** The two Stripe calls the dashboard makes; the local host and tests answer them with stand-ins. */
export interface StripeSessions {
  checkout(params: Stripe.Checkout.SessionCreateParams): Promise<{ id: string; url: string | null }>;
  portal(params: Stripe.BillingPortal.SessionCreateParams): Promise<{ url: string }>;
}

/** What the billing use-cases need; tests pass memory repositories and stand-ins. */
export interface BillingDeps {
  billing: BillingRepository;
  usage: UsageRepository;
  now: () => Date;
  tenant: (tenantId: string) => Promise<TenantDoc | undefined>;
  settings: Pick<
    Settings,
    'STRIPE_PRICE_STARTER' | 'STRIPE_PRICE_GROWTH' | 'STRIPE_PRICE_PRO' | 'PUBLIC_BASE_URL' | 'BILLING_GRACE_DAYS'
  >;
  stripe: StripeSessions;
  audit: (entry: AuditEntry) => Promise<void>;
}

export function billingDeps(rt: Runtime): BillingDeps {
  return {
    billing: billingRepository(rt),
    usage: usageRepository(rt),
    now: () => rt.clock.now(),
    tenant: (tenantId) => getTenant(rt, tenantId),
    settings: rt.settings,
    stripe: {
      checkout: (params) => stripeClient(rt.settings).checkout.sessions.create(params),
      portal: (params) => stripeClient(rt.settings).billingPortal.sessions.create(params),
    },
    audit: (entry) => audit(rt, entry),
  };
}
