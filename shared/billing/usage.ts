import type { Runtime } from '../platform/runtime.js';
import { usageRepository } from './billing-stores.js';
import type { UsageDoc } from './documents.js';
import type { UsageDelta } from './usage-repository.js';

export type { UsageDoc };

export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** Adds to the month's meters with atomic increments. */
export function recordUsage(rt: Runtime, tenantId: string, at: Date, delta: UsageDelta): Promise<void> {
  return usageRepository(rt).add(tenantId, monthOf(at), delta, at);
}

/** Counts one answer against this month's quota unless it is used up; the count after, or undefined. */
export function claimReply(rt: Runtime, tenantId: string, at: Date, limit: number): Promise<number | undefined> {
  return usageRepository(rt).claimReply(tenantId, monthOf(at), limit, at);
}
