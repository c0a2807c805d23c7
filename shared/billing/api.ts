import { z } from 'zod';
import { defineRoute } from '../platform/api.js';
import { isoTime } from '../platform/iso-time.js';
import { billingDeps } from './billing-deps.js';
import { billingOverview } from './billing-overview.js';
import { openPortal } from './open-portal.js';
import { startCheckout } from './start-checkout.js';

const urlView = z.object({ url: z.string() });

/** A Stripe session is the created resource: its URL is both the body and the Location. */
function created(session: { url: string }) {
  return { status: 201 as const, body: session, ...(session.url ? { headers: { location: session.url } } : {}) };
}

export const checkoutRoute = defineRoute({
  name: 'v1-billing-checkout',
  method: 'POST',
  path: 'v1/billing/checkout',
  summary: 'Start a Stripe Checkout for a plan; redirect the owner to the returned URL',
  tag: 'Billing',
  roles: ['owner'],
  body: z.strictObject({ plan: z.enum(['starter', 'growth', 'pro']) }),
  errors: [404],
  response: { headers: ['Location'], status: 201, description: 'Checkout session', schema: urlView },
  handler: async ({ rt, tenantId, principal, body, ip }) =>
    created(await startCheckout(billingDeps(rt), tenantId, { ...principal, ip }, body.plan)),
});

export const portalRoute = defineRoute({
  name: 'v1-billing-portal',
  method: 'POST',
  path: 'v1/billing/portal',
  summary: 'Open the Stripe Customer Portal (cards, invoices, cancel)',
  tag: 'Billing',
  roles: ['owner'],
  errors: [409],
  response: { headers: ['Location'], status: 201, description: 'Portal session', schema: urlView },
  handler: async ({ rt, tenantId, principal, ip }) =>
    created(await openPortal(billingDeps(rt), tenantId, { ...principal, ip })),
});

const invoiceView = z.object({
  invoiceNumber: z.string().optional(),
  status: z.string(),
  amountDue: z.number().int().describe("In the currency's smallest unit, as Stripe counts it: 14900 is 149.00 RON"),
  amountPaid: z.number().int().describe("In the currency's smallest unit, as Stripe counts it"),
  currency: z.string().describe('ISO 4217 code in capitals, as in knowledge entries (RON)'),
  createdAt: isoTime,
  paidAt: isoTime.optional(),
});

export const billingOverviewRoute = defineRoute({
  name: 'v1-billing-get',
  method: 'GET',
  path: 'v1/billing',
  summary: 'Current plan, status, entitlement, usage this month and invoice history',
  tag: 'Billing',
  roles: ['owner'],
  response: {
    status: 200,
    description: 'Billing overview',
    schema: z
      .object({
        plan: z.string().describe('The plan as shown to people ("Growth", "Trial")'),
        planId: z
          .enum(['trial', 'starter', 'growth', 'pro'])
          .describe('The plan as POST /api/v1/billing/checkout names it; "trial" before any'),
        status: z.string(),
        entitled: z.boolean(),
        graceUntil: isoTime.optional(),
        trialEndsAt: isoTime.optional(),
        usage: z.object({ replies: z.number(), limit: z.number() }),
        paymentMethod: z
          .object({ type: z.string().optional(), brand: z.string().optional(), last4: z.string().optional() })
          .optional(),
        invoices: z.array(invoiceView),
      })
      .meta({ id: 'BillingOverview' }),
  },
  handler: async ({ rt, tenantId }) => ({ status: 200, body: await billingOverview(billingDeps(rt), tenantId) }),
});

export const billingRoutes = [checkoutRoute, portalRoute, billingOverviewRoute];
