import { getTenant } from '../accounts/index.js';
import { enqueueEmail } from '../email/index.js';
import { type Sealed, seal, tokenKey, unseal } from '../platform/crypto.js';
import type { Platform } from '../platform/ids.js';
import type { Runtime } from '../platform/runtime.js';

/** A connected Facebook Page or Instagram professional account. */
export interface ChannelDoc {
  id: string;
  tenantId: string;
  type: 'channel';
  platform: Platform;
  /** The Page id or Instagram account id that webhooks name in entry.id. */
  accountId: string;
  /** The Page whose /messages endpoint sends for this channel (the linked Page for Instagram). */
  sendAsId: string;
  name: string;
  status: 'connected' | 'needs_reconnection' | 'disconnected';
  statusReason?: string;
  token?: Sealed;
  connectedAt: string;
  updatedAt: string;
  tokenCheckedAt?: string;
  /** Set when the daily check finds the token expiring soon. */
  tokenExpiresAt?: string;
  /**
   * Meta's policy enforcement: while `blocked` is true nothing is sent on this channel (messages are
   * still received and stored). `at` is Meta's event time, so an older event never undoes a newer one.
   */
  sendPolicy?: { blocked: boolean; at: number };
}

/** True when Meta has blocked this channel from sending. */
export function sendingBlocked(channel: Pick<ChannelDoc, 'sendPolicy'> | undefined): boolean {
  return channel?.sendPolicy?.blocked === true;
}

/** Routes a webhook's account id to the tenant that connected it. */
export interface RouteDoc {
  id: string;
  tenantId: string;
  channelId: string;
}

export function routeIdOf(platform: Platform, accountId: string): string {
  return `${platform}:${accountId}`;
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
  const id = routeIdOf(platform, accountId);
  const { resource } = await rt.cosmos.container('routes').item(id, id).read<RouteDoc>();
  return resource;
}

export async function getChannel(rt: Runtime, tenantId: string, channelId: string): Promise<ChannelDoc | undefined> {
  const { resource } = await rt.cosmos.container('channels').item(channelId, tenantId).read<ChannelDoc>();
  return resource;
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
  await rt.cosmos
    .container('channels')
    .item(channel.id, channel.tenantId)
    .patch([
      { op: 'set', path: '/status', value: 'needs_reconnection' },
      { op: 'set', path: '/statusReason', value: reason },
      { op: 'set', path: '/updatedAt', value: rt.clock.now().toISOString() },
    ]);
}
