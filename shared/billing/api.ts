import { z } from 'zod';
import { getTenant } from '../accounts/index.js';
import { audit } from '../audit/index.js';
import { defineRoute } from '../platform/api.js';
import { isoTime } from '../platform/iso-time.js';
import { problems } from '../platform/problem.js';
import { PLANS } from './plans.js';
import type { BillingRecordDoc } from './records.js';
import { getBillingState } from './state.js';
import { stripeClient } from './stripe-client.js';
import { quotaState, tenantEntitlement } from './tenant-entitlement.js';

const urlView = z.object({ url: z.string() });

export const checkoutRoute = defineRoute({
  name: 'v1-billing-checkout',
  method: 'POST',
  path: 'v1/billing/checkout',
  summary: 'Start a Stripe Checkout for a plan; redirect the owner to the returned URL',
  tag: 'Billing',
  roles: ['owner'],
  body: z.strictObject({ plan: z.enum(['starter', 'growth', 'pro']) }),
  errors: [404],
  response: { status: 201, description: 'Checkout session', schema: urlView },
  handler: async ({ rt, tenantId, principal, body, ip }) => {
    const tenant = await getTenant(rt, tenantId);
    if (!tenant) throw problems.notFound('account');
    const state = await getBillingState(rt, tenantId);
    const price = {
      starter: rt.settings.STRIPE_PRICE_STARTER,
      growth: rt.settings.STRIPE_PRICE_GROWTH,
      pro: rt.settings.STRIPE_PRICE_PRO,
    }[body.plan];
    const session = await stripeClient(rt.settings).checkout.sessions.create({
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
      success_url: `${rt.settings.PUBLIC_BASE_URL}/billing/done?session={CHECKOUT_SESSION_ID}`,
      cancel_url: `${rt.settings.PUBLIC_BASE_URL}/billing`,
    });
    await audit(rt, {
      tenantId,
      action: 'billing.checkout',
      actor: principal,
      ip,
      target: { type: 'checkout-session', id: session.id },
      details: { plan: body.plan },
    });
    return { status: 201, body: { url: session.url ?? '' } };
  },
});

export const portalRoute = defineRoute({
  name: 'v1-billing-portal',
  method: 'POST',
  path: 'v1/billing/portal',
  summary: 'Open the Stripe Customer Portal (cards, invoices, cancel)',
  tag: 'Billing',
  roles: ['owner'],
  errors: [409],
  response: { status: 201, description: 'Portal session', schema: urlView },
  handler: async ({ rt, tenantId, principal, ip }) => {
    const state = await getBillingState(rt, tenantId);
    if (!state?.customerId) throw problems.conflict('Subscribe to a plan first.');
    const session = await stripeClient(rt.settings).billingPortal.sessions.create({
      customer: state.customerId,
      return_url: `${rt.settings.PUBLIC_BASE_URL}/billing`,
    });
    await audit(rt, {
      tenantId,
      action: 'billing.portal',
      actor: principal,
      ip,
      target: { type: 'billing-customer', id: state.customerId },
    });
    return { status: 201, body: { url: session.url } };
  },
});

const invoiceView = z.object({
  invoiceNumber: z.string().optional(),
  status: z.string(),
  amountDue: z.number(),
  amountPaid: z.number(),
  currency: z.string(),
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
        plan: z.string(),
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
  handler: async ({ rt, tenantId }) => {
    const [state, ent, quota] = await Promise.all([
      getBillingState(rt, tenantId),
      tenantEntitlement(rt, tenantId),
      quotaState(rt, tenantId),
    ]);
    const { resources } = await rt.cosmos
      .container('billing')
      .items.query<BillingRecordDoc>(
        {
          query: "SELECT * FROM c WHERE c.tenantId = @t AND c.type = 'billing-record' ORDER BY c.createdAt DESC",
          parameters: [{ name: '@t', value: tenantId }],
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return {
      status: 200,
      body: {
        plan: state?.plan ? PLANS[state.plan].name : 'Trial',
        status: ent.state,
        entitled: ent.entitled,
        ...('graceUntil' in ent ? { graceUntil: ent.graceUntil } : {}),
        ...('trialEndsAt' in ent ? { trialEndsAt: ent.trialEndsAt } : {}),
        usage: { replies: quota.used, limit: quota.limit },
        ...(state?.last4 || state?.cardBrand
          ? { paymentMethod: { type: state.paymentMethodType, brand: state.cardBrand, last4: state.last4 } }
          : {}),
        invoices: resources.map((i) => ({
          ...(i.invoiceNumber ? { invoiceNumber: i.invoiceNumber } : {}),
          status: i.status,
          amountDue: i.amountDue,
          amountPaid: i.amountPaid,
          currency: i.currency,
          createdAt: i.createdAt,
          ...(i.paidAt ? { paidAt: i.paidAt } : {}),
        })),
      },
    };
  },
});

export const billingRoutes = [checkoutRoute, portalRoute, billingOverviewRoute];
