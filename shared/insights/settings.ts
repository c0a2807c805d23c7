import type { Runtime } from '../platform/runtime.js';
import type { InsightsRepository } from './insights-repository.js';
import { cosmosInsightsRepository } from './insights-repository.js';

/** A tenant's insights settings; the weekly digest is on until an owner or admin switches it off. */
export async function readInsightSettings(
  insights: InsightsRepository,
  tenantId: string,
): Promise<{ weeklyDigest: boolean }> {
  const doc = await insights.getSettings(tenantId);
  return { weeklyDigest: doc?.weeklyDigest ?? true };
}

export function getInsightSettings(rt: Pick<Runtime, 'cosmos'>, tenantId: string): Promise<{ weeklyDigest: boolean }> {
  return readInsightSettings(cosmosInsightsRepository(rt.cosmos), tenantId);
}
