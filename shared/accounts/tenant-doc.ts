import { z } from 'zod';
import type { Settings } from '../platform/settings.js';
import { type Company, companySchema, type Owner } from './account-schemas.js';
import { type BotSettings, defaultBotSettings } from './bot-settings.js';

/** A business (our Customer). The tenant id is the partition key of everything it owns. */
export interface TenantDoc {
  id: string;
  tenantId: string;
  type: 'tenant';
  companyName: string;
  status: 'active' | 'closed' | 'deleting';
  bot: BotSettings;
  createdAt: string;
  closedAt?: string;
  owner?: Owner;
  company?: Company;
  deletionRequestedAt?: string;
  [extra: string]: unknown;
}

/**
 * What a stored tenant must hold to be read at all. Owner and company are checked for the fields the
 * rules use, not re-validated as strictly as on the way in; bot settings are repaired field by field
 * on read instead (usableBotSettings), so a bad setting degrades to its default rather than failing.
 */
export const tenantDocSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  type: z.literal('tenant'),
  companyName: z.string(),
  status: z.enum(['active', 'closed', 'deleting']),
  bot: z.unknown(),
  createdAt: z.string(),
  closedAt: z.string().optional(),
  owner: z
    .looseObject({
      name: z.string(),
      email: z.string(),
      preferredLanguage: z.enum(['en', 'ro']),
      timeZone: z.string(),
      jobTitle: z.string().optional(),
    })
    .optional(),
  company: z
    .looseObject({
      name: z.string(),
      country: z.string(),
      businessType: companySchema.shape.businessType,
      website: z.string().optional(),
    })
    .optional(),
  deletionRequestedAt: z.string().optional(),
});

/** The bot settings a new tenant gets, and a bad stored field falls back to, under these settings. */
export function botDefaultsOf(settings: Pick<Settings, 'HUMAN_HOLD_MINUTES' | 'BURST_WAIT_MS'>): BotSettings {
  return defaultBotSettings({ humanHoldMinutes: settings.HUMAN_HOLD_MINUTES, burstWaitMs: settings.BURST_WAIT_MS });
}
