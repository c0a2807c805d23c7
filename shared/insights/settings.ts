import { readDoc } from '../platform/document-store.js';
import type { Runtime } from '../platform/runtime.js';
import { insights } from './counters.js';

/** A tenant's insights settings; the weekly digest is on until an owner or admin switches it off. */
export interface InsightSettingsDoc {
  id: typeof SETTINGS_ID;
  tenantId: string;
  type: 'insights-settings';
  weeklyDigest: boolean;
  updatedAt: string;
  updatedBy: string;
}

export const SETTINGS_ID = 'settings';

export async function getInsightSettings(rt: Runtime, tenantId: string): Promise<{ weeklyDigest: boolean }> {
  const doc = await readDoc<InsightSettingsDoc>(insights(rt), SETTINGS_ID, tenantId);
  return { weeklyDigest: doc?.weeklyDigest ?? true };
}
