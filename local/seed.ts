import { defaultBotSettings, type MemberDoc, memberId, type TenantDoc } from '../shared/accounts/triggers.js';
import { type ChannelDoc, type RouteDoc, routeIdOf, sealToken } from '../shared/channels/triggers.js';
import { createOnce } from '../shared/platform/document-store.js';
import type { Platform } from '../shared/platform/ids.js';
import type { Runtime } from '../shared/platform/runtime.js';

export interface SeedChannel {
  platform: Platform;
  accountId: string;
  sendAsId: string;
  name: string;
  token: string;
}

export interface SeedTenant {
  tenantId: string;
  companyName: string;
  channels: SeedChannel[];
  bot?: Partial<TenantDoc['bot']>;
  extra?: Record<string, unknown>;
  /** The people whose tokens name this tenant: the API checks every call against their membership. */
  members?: Array<Pick<MemberDoc, 'sub' | 'role' | 'email'>>;
}

/** Writes a tenant with connected channels straight to the stores (demo data and tests). Idempotent. */
export async function seedTenant(rt: Runtime, seed: SeedTenant): Promise<void> {
  const now = rt.clock.now().toISOString();
  const tenant: TenantDoc = {
    id: seed.tenantId,
    tenantId: seed.tenantId,
    type: 'tenant',
    companyName: seed.companyName,
    status: 'active',
    bot: {
      ...defaultBotSettings({
        humanHoldMinutes: rt.settings.HUMAN_HOLD_MINUTES,
        burstWaitMs: rt.settings.BURST_WAIT_MS,
      }),
      ...seed.bot,
    },
    createdAt: now,
    ...seed.extra,
  };
  await createOnce(rt.cosmos.container('tenants'), tenant);
  for (const m of seed.members ?? []) {
    const member: MemberDoc = {
      id: memberId(m.sub),
      tenantId: seed.tenantId,
      type: 'member',
      ...m,
      createdAt: now,
      updatedAt: now,
    };
    await createOnce(rt.cosmos.container('tenants'), member);
  }
  for (const c of seed.channels) {
    const channelId = `ch_${c.platform}_${c.accountId}`;
    const channel: ChannelDoc = {
      id: channelId,
      tenantId: seed.tenantId,
      type: 'channel',
      platform: c.platform,
      accountId: c.accountId,
      sendAsId: c.sendAsId,
      name: c.name,
      status: 'connected',
      token: sealToken(rt, seed.tenantId, c.accountId, c.token),
      connectedAt: now,
      updatedAt: now,
    };
    await createOnce(rt.cosmos.container('channels'), channel);
    const route: RouteDoc = { id: routeIdOf(c.platform, c.accountId), tenantId: seed.tenantId, channelId };
    await createOnce(rt.cosmos.container('routes'), route);
  }
}
