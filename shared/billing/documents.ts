import { z } from 'zod';
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

/** A billing state as read back from the store. */
export const billingCustomerDocSchema = z.looseObject({
  id: z.literal('billing'),
  tenantId: z.string(),
  type: z.literal('billing-customer'),
  customerId: z.string(),
  subscriptionId: z.string().optional(),
  status: z.string().optional(),
  plan: z.enum(['starter', 'growth', 'pro']).optional(),
  currentPeriodEnd: z.string().optional(),
  pastDueSince: z.string().optional(),
  canceledAt: z.string().optional(),
  billingCountry: z.string().optional(),
  paymentMethodType: z.string().optional(),
  cardBrand: z.string().optional(),
  last4: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/**
 * §5.4 and §9: what a billing record may hold. Built by picking allowed fields only, so a full card
 * number or CVC can never be stored, whatever a Stripe object carries.
 */
export interface BillingRecordDoc {
  id: string;
  tenantId: string;
  type: 'billing-record';
  invoiceId: string;
  invoiceNumber?: string;
  status: string;
  amountDue: number;
  amountPaid: number;
  currency: string;
  billingCountry?: string;
  paymentMethodType?: string;
  cardBrand?: string;
  last4?: string;
  periodStart?: string;
  periodEnd?: string;
  createdAt: string;
  paidAt?: string;
  updatedAt: string;
}

/** A billing record as read back from the store. */
export const billingRecordDocSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  type: z.literal('billing-record'),
  invoiceId: z.string(),
  invoiceNumber: z.string().optional(),
  status: z.string(),
  amountDue: z.number(),
  amountPaid: z.number(),
  currency: z.string(),
  billingCountry: z.string().optional(),
  paymentMethodType: z.string().optional(),
  cardBrand: z.string().optional(),
  last4: z.string().optional(),
  periodStart: z.string().optional(),
  periodEnd: z.string().optional(),
  createdAt: z.string(),
  paidAt: z.string().optional(),
  updatedAt: z.string(),
});

/** One tenant's usage in one calendar month (UTC), read by billing's plan limits. */
export interface UsageDoc {
  id: string;
  tenantId: string;
  type: 'usage';
  month: string;
  replies: number;
  handoffs: number;
  inputTokens: number;
  outputTokens: number;
  updatedAt: string;
}

/** A month's usage as read back from the store. */
export const usageDocSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  type: z.literal('usage'),
  month: z.string(),
  replies: z.number(),
  handoffs: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  updatedAt: z.string(),
});
