import { getTenant } from '../accounts/index.js';
import { audit } from '../audit/index.js';
import { enqueueEmail } from '../email/index.js';
import { log } from '../platform/log.js';
import type { Runtime } from '../platform/runtime.js';
import { billingRepository, processedStripeEvents } from './billing-stores.js';
import { entitlement, type SubscriptionStatus } from './entitlement-rules.js';
import { type Plan, TRIAL_DAYS } from './plans.js';
import { billingRecordFromInvoice, cardFacts } from './records.js';
import { type BillingCustomerDoc, getBillingState, tenantOfCustomer } from './state.js';
import { stripeClient } from './stripe-client.js';
import type { StripeEventBody } from './webhook.js';

/** Maps a Stripe price id to our plan. */
export function planOfPrice(rt: Runtime, priceId: string | undefined): Plan['id'] | undefined {
  const s = rt.settings;
  return priceId === s.STRIPE_PRICE_STARTER
    ? 'starter'
    : priceId === s.STRIPE_PRICE_GROWTH
      ? 'growth'
      : priceId === s.STRIPE_PRICE_PRO
        ? 'pro'
        : undefined;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

async function upsertState(
  rt: Runtime,
  tenantId: string,
  customerId: string,
  change: (d: BillingCustomerDoc) => BillingCustomerDoc,
): Promise<BillingCustomerDoc> {
  const now = rt.clock.now().toISOString();
  const current = (await getBillingState(rt, tenantId)) ?? {
    id: 'billing',
    tenantId,
    type: 'billing-customer',
    customerId,
    createdAt: now,
    updatedAt: now,
  };
  const next = { ...change({ ...current, customerId }), updatedAt: now };
  await billingRepository(rt).saveState(tenantId, next);
  return next;
}

/**
 * Syncs the subscription from Stripe itself rather than from the event, so events that arrive twice
 * or out of order (updated before created, deleted before updated) still end in the right state.
 */
async function syncSubscription(
  rt: Runtime,
  tenantId: string,
  customerId: string,
  subscriptionId: string,
  fallback?: Record<string, unknown>,
): Promise<BillingCustomerDoc> {
  let sub: Record<string, unknown> | undefined;
  try {
    sub = (await stripeClient(rt.settings).subscriptions.retrieve(subscriptionId)) as unknown as Record<
      string,
      unknown
    >;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    // Stripe no longer knows it: it is gone, whatever an older event said.
    sub = { ...fallback, status: 'canceled' };
  }
  if (!sub) return upsertState(rt, tenantId, customerId, (d) => d);
  const status = str(sub.status) as SubscriptionStatus | undefined;
  const item = ((sub.items as { data?: Array<Record<string, unknown>> } | undefined)?.data ?? [])[0] ?? {};
  const priceId = str((item.price as Record<string, unknown> | undefined)?.id);
  const periodEnd = (item.current_period_end ?? sub.current_period_end) as number | undefined;
  const before = await getBillingState(rt, tenantId);
  const now = rt.clock.now().toISOString();
  const state = await upsertState(rt, tenantId, customerId, (d) => ({
    ...d,
    subscriptionId,
    ...(status ? { status } : {}),
    ...(planOfPrice(rt, priceId) ? { plan: planOfPrice(rt, priceId) } : {}),
    ...(periodEnd ? { currentPeriodEnd: new Date(periodEnd * 1000).toISOString() } : {}),
    pastDueSince: status === 'past_due' || status === 'unpaid' ? (d.pastDueSince ?? now) : undefined,
    ...(status === 'canceled' ? { canceledAt: d.canceledAt ?? now } : {}),
  }));
  // Plan changes happen in Stripe (Checkout, the portal); the entry records what changed and when (§10).
  if (before?.plan !== state.plan || before?.status !== state.status) {
    await audit(rt, {
      tenantId,
      action: 'billing.plan_change',
      actor: { sub: 'stripe', role: 'system' },
      target: { type: 'subscription', id: subscriptionId },
      details: {
        from: before?.plan ?? 'none',
        to: state.plan ?? 'none',
        fromStatus: before?.status ?? 'none',
        status: state.status ?? 'none',
      },
    });
  }
  if (status === 'canceled' && before?.status !== 'canceled')
    await notifyOwner(rt, tenantId, 'subscription_ended', `subscription-ended:${subscriptionId}`, {});
  return state;
}

async function notifyOwner(
  rt: Runtime,
  tenantId: string,
  template: 'payment_failed' | 'subscription_ended',
  key: string,
  data: Record<string, string>,
): Promise<void> {
  const tenant = await getTenant(rt, tenantId);
  if (!tenant?.owner) return;
  await enqueueEmail(rt, {
    key,
    template,
    language: tenant.owner.preferredLanguage,
    to: tenant.owner.email,
    tenantId,
    data: { company: tenant.companyName, ...data },
  });
}

async function paymentMethodFacts(
  rt: Runtime,
  invoice: Record<string, unknown>,
): Promise<ReturnType<typeof cardFacts>> {
  const pi = invoice.payment_intent;
  const pm =
    typeof pi === 'object' && pi
      ? ((pi as Record<string, unknown>).payment_method as Record<string, unknown> | undefined)
      : undefined;
  if (pm && typeof pm === 'object') return cardFacts(pm);
  const state = await getBillingState(rt, String(invoice.tenantId ?? ''));
  return state ? { paymentMethodType: state.paymentMethodType, cardBrand: state.cardBrand, last4: state.last4 } : {};
}

/** Which tenant an event is about: our reference on a checkout, else the customer we recorded. */
async function tenantFor(
  rt: Runtime,
  event: StripeEventBody,
): Promise<{ tenantId: string; customerId: string } | undefined> {
  const o = event.data.object;
  const customerId = str(o.customer) ?? (o.object === 'customer' ? str(o.id) : undefined);
  if (!customerId) return undefined;
  const reference = str(o.client_reference_id) ?? str((o.metadata as Record<string, unknown> | undefined)?.tenantId);
  const tenantId = reference ?? (await tenantOfCustomer(rt, customerId));
  return tenantId ? { tenantId, customerId } : undefined;
}

/** Applies one Stripe event, once: a redelivery finds its record and stops. */
export async function processStripeEvent(rt: Runtime, event: StripeEventBody): Promise<void> {
  const processed = processedStripeEvents(rt);
  if (await processed.has(event.id)) return;
  const target = await tenantFor(rt, event);
  if (!target) {
    log.info('stripe.event.unmatched', { type: event.type });
  } else {
    const { tenantId, customerId } = target;
    const o = event.data.object;
    switch (event.type) {
      case 'checkout.session.completed':
        if (str(o.subscription)) await syncSubscription(rt, tenantId, customerId, String(o.subscription));
        else await upsertState(rt, tenantId, customerId, (d) => d);
        break;
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
        await syncSubscription(rt, tenantId, customerId, String(o.id), o);
        break;
      case 'invoice.paid':
      case 'invoice.payment_failed': {
        const record = billingRecordFromInvoice(
          tenantId,
          o,
          await paymentMethodFacts(rt, { ...o, tenantId }),
          rt.clock.now(),
        );
        const existing = await billingRepository(rt).getRecord(tenantId, record.id);
        if (!(existing?.status === 'paid' && event.type === 'invoice.payment_failed'))
          await billingRepository(rt).saveRecord(tenantId, record);
        const subscriptionId =
          str(
            (o.parent as { subscription_details?: { subscription?: string } } | undefined)?.subscription_details
              ?.subscription,
          ) ??
          str(o.subscription) ??
          (await getBillingState(rt, tenantId))?.subscriptionId;
        const state = subscriptionId
          ? await syncSubscription(rt, tenantId, customerId, subscriptionId)
          : await upsertState(rt, tenantId, customerId, (d) => d);
        if (event.type === 'invoice.payment_failed') {
          const tenant = await getTenant(rt, tenantId);
          const ent = entitlement(
            {
              status: 'past_due',
              pastDueSince: state.pastDueSince,
              accountCreatedAt: tenant?.createdAt ?? rt.clock.now().toISOString(),
              graceDays: rt.settings.BILLING_GRACE_DAYS,
              trialDays: TRIAL_DAYS,
            },
            rt.clock.now(),
          );
          const amount = `${(record.amountDue / 100).toFixed(2)} ${record.currency.toUpperCase()}`;
          await notifyOwner(rt, tenantId, 'payment_failed', `payment-failed:${record.invoiceId}`, {
            amount,
            graceUntil: 'graceUntil' in ent ? ent.graceUntil.slice(0, 10) : '',
          });
        }
        break;
      }
      case 'customer.updated': {
        const country = str((o.address as Record<string, unknown> | undefined)?.country);
        await upsertState(rt, tenantId, customerId, (d) => ({ ...d, ...(country ? { billingCountry: country } : {}) }));
        break;
      }
      case 'payment_method.attached':
      case 'payment_method.updated':
        await upsertState(rt, tenantId, customerId, (d) => ({ ...d, ...cardFacts(o) }));
        break;
      default:
        log.info('stripe.event.ignored', { type: event.type });
    }
  }
  await processed.remember(event.id, rt.clock.now());
}
