import type { Runtime } from '../platform/runtime.js';
import { usageRepository } from './billing-stores.js';
import type { UsageDoc } from './documents.js';
import { emptyUsage, type UsageDelta } from './usage-repository.js';

export type { UsageDoc };

export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** Adds to the month's meters with atomic increments. */
export function recordUsage(rt: Runtime, tenantId: string, at: Date, delta: UsageDelta): Promise<void> {
  return usageRepository(rt).add(tenantId, monthOf(at), delta, at);
}

/** The month's usage, zero when nothing was recorded. */
export async function getUsage(rt: Runtime, tenantId: string, at: Date): Promise<UsageDoc> {
  const month = monthOf(at);
  return (await usageRepository(rt).get(tenantId, month)) ?? emptyUsage(tenantId, month, at);
}
