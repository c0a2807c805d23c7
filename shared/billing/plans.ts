/** The plans we sell, with their monthly AI reply quota. */
export interface Plan {
  id: 'starter' | 'growth' | 'pro';
  name: string;
  monthlyReplies: number;
}

export const PLANS: Record<Plan['id'], Plan> = {
  starter: { id: 'starter', name: 'Starter', monthlyReplies: 500 },
  growth: { id: 'growth', name: 'Growth', monthlyReplies: 2000 },
  pro: { id: 'pro', name: 'Pro', monthlyReplies: 10_000 },
};

/** Replies included while a new account tries Aliat before subscribing. */
export const TRIAL_REPLIES = 100;
export const TRIAL_DAYS = 14;

/** Pure: the usage thresholds crossed by going from `before` to `after` replies. */
export function thresholdsCrossed(before: number, after: number, limit: number): Array<80 | 100> {
  const out: Array<80 | 100> = [];
  for (const pct of [80, 100] as const) {
    const mark = Math.ceil((limit * pct) / 100);
    if (before < mark && after >= mark) out.push(pct);
  }
  return out;
}
