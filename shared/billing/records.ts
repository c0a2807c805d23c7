import type { BillingRecordDoc } from './documents.js';

export type { BillingRecordDoc };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const iso = (seconds: unknown): string | undefined =>
  typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : undefined;

/** Only the last four digits, and only if they are exactly four digits. */
export function safeLast4(v: unknown): string | undefined {
  return typeof v === 'string' && /^\d{4}$/.test(v) ? v : undefined;
}

/** Payment method facts we keep: type, brand, last four. */
export function cardFacts(pm: Record<string, unknown> | undefined): {
  paymentMethodType?: string;
  cardBrand?: string;
  last4?: string;
} {
  if (!pm) return {};
  const card = (pm.card ?? {}) as Record<string, unknown>;
  return {
    ...(str(pm.type) ? { paymentMethodType: str(pm.type) } : {}),
    ...(str(card.brand) ? { cardBrand: str(card.brand) } : {}),
    ...(safeLast4(card.last4) ? { last4: safeLast4(card.last4) } : {}),
  };
}

/** Pure: a billing record from a Stripe invoice, keeping only what the policy allows. */
export function billingRecordFromInvoice(
  tenantId: string,
  invoice: Record<string, unknown>,
  card: ReturnType<typeof cardFacts>,
  now: Date,
): BillingRecordDoc {
  const address = (invoice.customer_address ?? {}) as Record<string, unknown>;
  const transitions = (invoice.status_transitions ?? {}) as Record<string, unknown>;
  return {
    id: `br_${String(invoice.id)}`,
    tenantId,
    type: 'billing-record',
    invoiceId: String(invoice.id),
    ...(str(invoice.number) ? { invoiceNumber: str(invoice.number) } : {}),
    status: str(invoice.status) ?? 'unknown',
    amountDue: num(invoice.amount_due),
    amountPaid: num(invoice.amount_paid),
    currency: str(invoice.currency) ?? 'ron',
    ...(str(address.country) ? { billingCountry: str(address.country) } : {}),
    ...card,
    ...(iso(invoice.period_start) ? { periodStart: iso(invoice.period_start) } : {}),
    ...(iso(invoice.period_end) ? { periodEnd: iso(invoice.period_end) } : {}),
    createdAt: iso(invoice.created) ?? now.toISOString(),
    ...(iso(transitions.paid_at) ? { paidAt: iso(transitions.paid_at) } : {}),
    updatedAt: now.toISOString(),
  };
}
