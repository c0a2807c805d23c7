import { getTenant } from '../accounts/index.js';
import { enqueueEmail } from '../email/index.js';
import { type Sealed, seal, tokenKey, unseal } from '../platform/crypto.js';
import type { Platform } from '../platform/ids.js';
import type { Runtime } from '../platform/runtime.js';
import { type ChannelDoc, type RouteDoc, routeIdOf } from './channel-documents.js';
import { cosmosChannelRepository } from './channel-repository.js';

export type { ChannelDoc, RouteDoc } from './channel-documents.js';
export { routeIdOf } from './channel-documents.js';

/** True when Meta has blocked this channel from sending. */
export function sendingBlocked(channel: Pick<ChannelDoc, 'sendPolicy'> | undefined): boolean {
  return channel?.sendPolicy?.blocked === true;
}

/** Additional authenticated data binding a sealed token to its tenant and page. */
function tokenAad(tenantId: string, accountId: string): string {
  return `aliat-page-token|${tenantId}|${accountId}`;
}

export function sealToken(rt: Runtime, tenantId: string, accountId: string, token: string): Sealed {
  return seal(token, tokenKey(rt.settings.TOKEN_ENCRYPTION_KEY), tokenAad(tenantId, accountId));
}

/** The channel's page access token, decrypted; throws DecryptError if it was tampered with or moved. */
export function openToken(rt: Runtime, channel: ChannelDoc): string {
  return openTokenWithKey(rt, channel).token;
}

/** Opens a token with the current key or, during a rotation, the previous one, saying which worked. */
export function openTokenWithKey(rt: Runtime, channel: ChannelDoc): { token: string; previousKey: boolean } {
  if (!channel.token) throw new Error('channel has no token');
  const aad = tokenAad(channel.tenantId, channel.accountId);
  try {
    return { token: unseal(channel.token, tokenKey(rt.settings.TOKEN_ENCRYPTION_KEY), aad), previousKey: false };
  } catch (error) {
    const previous = rt.settings.TOKEN_ENCRYPTION_KEY_PREVIOUS;
    if (!previous) throw error;
    return { token: unseal(channel.token, tokenKey(previous), aad), previousKey: true };
  }
}

/** Which tenant's channel a webhook account id belongs to, if any. */
export async function findRoute(rt: Runtime, platform: Platform, accountId: string): Promise<RouteDoc | undefined> {
  return cosmosChannelRepository(rt.cosmos).getRoute(routeIdOf(platform, accountId));
}

export async function getChannel(rt: Runtime, tenantId: string, channelId: string): Promise<ChannelDoc | undefined> {
  return cosmosChannelRepository(rt.cosmos).get(tenantId, channelId);
}

/** Marks a channel as needing reconnection (Graph error 190) and tells the owner, once per channel and reason. */
export async function flagReconnection(rt: Runtime, channel: ChannelDoc, reason: string): Promise<void> {
  const tenant = await getTenant(rt, channel.tenantId);
  if (tenant?.owner) {
    await enqueueEmail(rt, {
      key: `reconnect:${channel.id}:${channel.updatedAt}`,
      template: 'channel_needs_reconnection',
      language: tenant.owner.preferredLanguage,
      to: tenant.owner.email,
      tenantId: channel.tenantId,
      data: { channel: channel.name },
    });
  }
  await cosmosChannelRepository(rt.cosmos).patch(channel.tenantId, channel.id, {
    status: 'needs_reconnection',
    statusReason: reason,
    updatedAt: rt.clock.now().toISOString(),
  });
}
