import { getTenant } from '../accounts/index.js';
import { enqueueEmail } from '../email/index.js';
import { updateWithRetry } from '../platform/document-store.js';
import { log } from '../platform/log.js';
import type { Runtime } from '../platform/runtime.js';
import type { ChannelDoc } from './channels.js';

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
  let changed = false;
  await updateWithRetry<ChannelDoc>(rt.cosmos.container('channels'), channel.id, channel.tenantId, (c) => {
    changed = false;
    if (c.sendPolicy && c.sendPolicy.at >= at) return undefined;
    changed = c.sendPolicy?.blocked !== blocked;
    return { ...c, sendPolicy: { blocked, at }, updatedAt: rt.clock.now().toISOString() };
  });
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
