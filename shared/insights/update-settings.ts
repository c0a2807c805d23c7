import type { Clock } from '../platform/runtime.js';
import { type InsightSettingsDoc, SETTINGS_ID } from './insights-documents.js';
import type { InsightsRepository } from './insights-repository.js';

/** Switches the weekly digest on or off and records who did; the audit entry is the caller's. */
export async function updateInsightSettings(
  deps: { insights: InsightsRepository; clock: Clock; audit: () => Promise<void> },
  tenantId: string,
  actorSub: string,
  weeklyDigest: boolean,
): Promise<{ weeklyDigest: boolean }> {
  const doc: InsightSettingsDoc = {
    id: SETTINGS_ID,
    tenantId,
    type: 'insights-settings',
    weeklyDigest,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: actorSub,
  };
  await deps.insights.saveSettings(doc);
  await deps.audit();
  return { weeklyDigest: doc.weeklyDigest };
}
