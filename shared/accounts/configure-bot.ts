import { NotFoundError } from '../platform/domain-errors.js';
import type { Principal } from '../platform/principal.js';
import type { AccountsDeps } from './accounts-deps.js';
import type { BotSettings } from './bot-settings.js';

export async function readBotSettings(deps: Pick<AccountsDeps, 'tenants'>, tenantId: string): Promise<BotSettings> {
  const t = await deps.tenants.get(tenantId);
  if (!t) throw new NotFoundError('account');
  return t.bot;
}

/** Replaces the bot settings; the audit log gets the names of the settings that changed. */
export async function replaceBotSettings(
  deps: Pick<AccountsDeps, 'tenants' | 'audit'>,
  tenantId: string,
  actor: Pick<Principal, 'sub' | 'role'>,
  settings: BotSettings,
  ip?: string,
): Promise<BotSettings> {
  const before = await deps.tenants.get(tenantId);
  if (!before) throw new NotFoundError('account');
  await deps.tenants.update(tenantId, (t) => ({ ...t, bot: settings }));
  const changed = Object.keys(settings).filter(
    (k) => JSON.stringify(settings[k as keyof BotSettings]) !== JSON.stringify(before.bot[k as keyof BotSettings]),
  );
  await deps.audit({ tenantId, action: 'settings.update', actor, ip, details: { fields: changed } });
  return settings;
}
