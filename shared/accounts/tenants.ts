import type { Runtime } from '../platform/runtime.js';
import type { Company, Owner } from './account-schemas.js';
import { type BotSettings, defaultBotSettings, usableBotSettings } from './bot-settings.js';

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

/** Reads a tenant, or undefined. Its bot settings are always usable: bad stored fields read as their defaults. */
export async function getTenant(rt: Runtime, tenantId: string): Promise<TenantDoc | undefined> {
  const { resource } = await rt.cosmos.container('tenants').item(tenantId, tenantId).read<TenantDoc>();
  if (!resource) return undefined;
  const defaults = defaultBotSettings({
    humanHoldMinutes: rt.settings.HUMAN_HOLD_MINUTES,
    burstWaitMs: rt.settings.BURST_WAIT_MS,
  });
  return { ...resource, bot: usableBotSettings(resource.id, resource.bot, defaults) };
}
