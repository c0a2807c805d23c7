import { describe, expect, it } from 'vitest';
import type { TenantDoc } from '../../shared/accounts/index.js';
import type { AuditEntry, BillingDeps } from '../../shared/billing/billing-deps.js';
import { billingOverview } from '../../shared/billing/billing-overview.js';
import { memoryBillingRepository } from '../../shared/billing/billing-repository.js';
import type { BillingCustomerDoc, BillingRecordDoc } from '../../shared/billing/documents.js';
import { openPortal } from '../../shared/billing/open-portal.js';
import { memoryProcessedStripeEvents } from '../../shared/billing/processed-events.js';
import { startCheckout } from '../../shared/billing/start-checkout.js';
import { quotaOf } from '../../shared/billing/tenant-entitlement.js';
import { memoryUsageRepository } from '../../shared/billing/usage-repository.js';
import { ConflictError, NotFoundError } from '../../shared/platform/domain-errors.js';

const A = 'tn_a';
const B = 'tn_b';
const NOW = new Date('2026-05-10T12:00:00.000Z');
const owner = { sub: 'auth0|owner', role: 'owner', ip: '203.0.113.9' };

const tenant = (id: string): TenantDoc =>
  ({
    id,
    tenantId: id,
    type: 'tenant',
    companyName: `Salon ${id}`,
    status: 'active',
    createdAt: '2026-05-01T00:00:00.000Z',
    owner: { email: `owner@${id}.example` },
  }) as unknown as TenantDoc;

const state = (tenantId: string, extra: Partial<BillingCustomerDoc> = {}): BillingCustomerDoc => ({
  id: 'billing',
  tenantId,
  type: 'billing-customer',
  customerId: `cus_${tenantId}`,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  ...extra,
});

const record = (tenantId: string, n: number): BillingRecordDoc => ({
  id: `br_in_${n}`,
  tenantId,
  type: 'billing-record',
  invoiceId: `in_${n}`,
  invoiceNumber: `INV-${n}`,
  status: 'paid',
  amountDue: 4900,
  amountPaid: 4900,
  currency: 'ron',
  createdAt: `2026-0${n}-01T00:00:00.000Z`,
  paidAt: `2026-0${n}-01T00:00:00.000Z`,
  updatedAt: `2026-0${n}-01T00:00:00.000Z`,
});

function setup() {
  const audits: AuditEntry[] = [];
  const checkouts: unknown[] = [];
  const portals: unknown[] = [];
  const deps: BillingDeps = {
    billing: memoryBillingRepository(),
    usage: memoryUsageRepository(),
    now: () => NOW,
    tenant: async (id) => (id === A || id === B ? tenant(id) : undefined),
    settings: {
      STRIPE_PRICE_STARTER: 'price_s',
      STRIPE_PRICE_GROWTH: 'price_g',
      STRIPE_PRICE_PRO: 'price_p',
      PUBLIC_BASE_URL: 'https://app.example',
      BILLING_GRACE_DAYS: 7,
    },
    stripe: {
      checkout: async (params) => {
        checkouts.push(params);
        return { id: 'cs_1', url: 'https://checkout.example/cs_1' };
      },
      portal: async (params) => {
        portals.push(params);
        return { url: 'https://portal.example/1' };
      },
    },
    audit: async (entry) => void audits.push(entry),
  };
  return { deps, audits, checkouts, portals };
}

describe('billing use-cases on memory repositories', () => {
  it('starts a checkout for the plan, as the known customer or by the owner’s e-mail', async () => {
    const { deps, audits, checkouts } = setup();
    expect(await startCheckout(deps, A, owner, 'growth')).toEqual({ url: 'https://checkout.example/cs_1' });
    expect(checkouts[0]).toMatchObject({
      line_items: [{ price: 'price_g', quantity: 1 }],
      client_reference_id: A,
      customer_email: `owner@${A}.example`,
      success_url: 'https://app.example/billing/done?session={CHECKOUT_SESSION_ID}',
    });
    await deps.billing.saveState(A, state(A));
    await startCheckout(deps, A, owner, 'pro');
    expect(checkouts[1]).toMatchObject({ customer: `cus_${A}`, line_items: [{ price: 'price_p', quantity: 1 }] });
    expect(audits.map((a) => a.details)).toEqual([{ plan: 'growth' }, { plan: 'pro' }]);
    await expect(startCheckout(deps, 'tn_gone', owner, 'starter')).rejects.toEqual(new NotFoundError('account'));
  });

  it('opens the portal only for a tenant with a Stripe customer, and never with another tenant’s', async () => {
    const { deps, portals } = setup();
    await deps.billing.saveState(A, state(A));
    await expect(openPortal(deps, B, owner)).rejects.toEqual(new ConflictError('Subscribe to a plan first.'));
    expect(await openPortal(deps, A, owner)).toEqual({ url: 'https://portal.example/1' });
    expect(portals).toEqual([{ customer: `cus_${A}`, return_url: 'https://app.example/billing' }]);
  });

  it('shows plan, entitlement, usage and invoices newest first, each tenant its own', async () => {
    const { deps } = setup();
    await deps.billing.saveState(A, state(A, { status: 'active', plan: 'starter', cardBrand: 'visa', last4: '4242' }));
    await deps.billing.saveRecord(A, record(A, 1));
    await deps.billing.saveRecord(A, record(A, 2));
    await deps.usage.add(A, '2026-05', { replies: 12 }, NOW);
    const a = await billingOverview(deps, A);
    expect(a).toMatchObject({
      plan: 'Starter',
      status: 'active',
      entitled: true,
      usage: { replies: 12, limit: 500 },
      paymentMethod: { brand: 'visa', last4: '4242' },
    });
    expect(a.invoices.map((i) => i.invoiceNumber)).toEqual(['INV-2', 'INV-1']);
    const b = await billingOverview(deps, B);
    expect(b).toMatchObject({ plan: 'Trial', status: 'trial', usage: { replies: 0, limit: 100 }, invoices: [] });
    expect(b).not.toHaveProperty('paymentMethod');
  });

  it('counts the month’s replies against the plan’s quota', async () => {
    const { deps } = setup();
    await deps.usage.add(A, '2026-05', { replies: 100 }, NOW);
    await deps.usage.add(A, '2026-04', { replies: 7 }, NOW);
    expect(await quotaOf(deps, A)).toEqual({ used: 100, limit: 100, exceeded: true, plan: 'trial' });
    expect(await quotaOf(deps, B)).toEqual({ used: 0, limit: 100, exceeded: false, plan: 'trial' });
  });

  it('forgets a tenant’s usage but keeps its billing records (§9)', async () => {
    const { deps } = setup();
    await deps.billing.saveState(A, state(A));
    await deps.billing.saveRecord(A, record(A, 1));
    await deps.usage.add(A, '2026-05', { replies: 1 }, NOW);
    await deps.usage.add(B, '2026-05', { replies: 2 }, NOW);
    expect(await deps.usage.forgetTenant(A)).toBe(1);
    expect(await deps.usage.get(A, '2026-05')).toBeUndefined();
    expect((await deps.usage.get(B, '2026-05'))?.replies).toBe(2);
    expect(await deps.billing.forgetTenant(A)).toBe(0);
    expect(await deps.billing.listRecords(A)).toHaveLength(1);
    expect(await deps.billing.tenantOfCustomer(`cus_${A}`)).toBe(A);
    await expect(deps.billing.saveRecord(B, record(A, 3))).rejects.toThrow(/own tenant/);
  });

  it('remembers processed Stripe events', async () => {
    const events = memoryProcessedStripeEvents();
    expect(await events.has('evt_1')).toBe(false);
    await events.remember('evt_1', NOW);
    expect(await events.has('evt_1')).toBe(true);
  });
});
