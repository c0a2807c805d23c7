import { getTenant } from '../accounts/index.js';
import { enqueueEmail } from '../email/index.js';
import { log } from '../platform/log.js';
import type { Clock, Runtime } from '../platform/runtime.js';
import type { ChannelDoc } from './channel-documents.js';
import { type ChannelRepository, cosmosChannelRepository } from './channel-repository.js';

/**
 * Records Meta's block or unblock on the channel, unless a newer event was applied already.
 * True when the channel's blocked state changed.
 */
export async function recordSendPolicy(
  channels: ChannelRepository,
  clock: Clock,
  channel: Pick<ChannelDoc, 'id' | 'tenantId'>,
  blocked: boolean,
  at: number,
): Promise<boolean> {
  let changed = false;
  await channels.update(channel.tenantId, channel.id, (c) => {
    changed = false;
    if (c.sendPolicy && c.sendPolicy.at >= at) return undefined;
    changed = c.sendPolicy?.blocked !== blocked;
    return { ...c, sendPolicy: { blocked, at }, updatedAt: clock.now().toISOString() };
  });
  return changed;
}

/**
 * Meta's `policy-enforcement` event for a channel: `block` stops every send on it (Meta would refuse
 * them anyway, and retrying would only add violations) and tells the owner; `unblock` lifts it.
 * Idempotent and order-safe: an event older than the one applied changes nothing.
 */
export async function applyPolicyEnforcement(
  rt: Runtime,
  channel: ChannelDoc,
  action: 'block' | 'unblock',
  at: number,
): Promise<void> {
  const blocked = action === 'block';
  const changed = await recordSendPolicy(cosmosChannelRepository(rt.cosmos), rt.clock, channel, blocked, at);
  log.info('channel.policy_enforcement', { tenantId: channel.tenantId, channelId: channel.id, action, changed });
  if (!changed) return;
  if (!blocked) return;
  const tenant = await getTenant(rt, channel.tenantId);
  if (!tenant?.owner) return;
  await enqueueEmail(rt, {
    key: `policy-block:${channel.id}:${at}`,
    template: 'channel_blocked',
    language: tenant.owner.preferredLanguage,
    to: tenant.owner.email,
    tenantId: channel.tenantId,
    data: { channel: channel.name },
  });
}
