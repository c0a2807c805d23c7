/** Stripe subscription statuses. */
export type SubscriptionStatus =
  | 'trialing'
  | 'active'
  | 'past_due'
  | 'unpaid'
  | 'canceled'
  | 'incomplete'
  | 'incomplete_expired'
  | 'paused';

export interface EntitlementInput {
  /** Undefined when the tenant never subscribed. */
  status?: SubscriptionStatus;
  pastDueSince?: string;
  accountCreatedAt: string;
  graceDays: number;
  trialDays: number;
}

export type Entitlement =
  | { state: 'trial'; entitled: true; trialEndsAt: string }
  | { state: 'trial_ended'; entitled: false }
  | { state: 'trialing' | 'active'; entitled: true }
  | { state: 'past_due'; entitled: true; graceUntil: string }
  | { state: 'grace_ended'; entitled: false; graceUntil: string }
  | { state: 'canceled' | 'incomplete'; entitled: false };

const DAY = 86_400_000;

/**
 * Pure: whether a tenant may have the bot answer. A new account has a trial; a subscription that is
 * trialing or active is entitled; past due is entitled for a grace period from the first failed
 * payment; unpaid, canceled, paused or never completed is not.
 */
export function entitlement(input: EntitlementInput, now: Date): Entitlement {
  if (!input.status) {
    const trialEndsAt = new Date(Date.parse(input.accountCreatedAt) + input.trialDays * DAY);
    return now < trialEndsAt
      ? { state: 'trial', entitled: true, trialEndsAt: trialEndsAt.toISOString() }
      : { state: 'trial_ended', entitled: false };
  }
  switch (input.status) {
    case 'trialing':
    case 'active':
      return { state: input.status, entitled: true };
    case 'past_due': {
      const graceUntil = new Date(
        Date.parse(input.pastDueSince ?? now.toISOString()) + input.graceDays * DAY,
      ).toISOString();
      return now < new Date(graceUntil)
        ? { state: 'past_due', entitled: true, graceUntil }
        : { state: 'grace_ended', entitled: false, graceUntil };
    }
    case 'unpaid':
      return { state: 'grace_ended', entitled: false, graceUntil: input.pastDueSince ?? now.toISOString() };
    case 'incomplete':
    case 'incomplete_expired':
      return { state: 'incomplete', entitled: false };
    default:
      return { state: 'canceled', entitled: false };
  }
}
