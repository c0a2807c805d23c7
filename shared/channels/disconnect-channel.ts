import type { GraphClient } from '../messaging/index.js';
import { NotFoundError } from '../platform/domain-errors.js';
import { log } from '../platform/log.js';
import type { Clock } from '../platform/runtime.js';
import { type ChannelDoc, routeIdOf } from './channel-documents.js';
import type { ChannelRepository } from './channel-repository.js';
import type { ChannelAudit } from './connect-channel.js';

export interface DisconnectChannelDeps {
  channels: ChannelRepository;
  graph: Pick<GraphClient, 'unsubscribeApp'>;
  clock: Clock;
  open: (channel: ChannelDoc) => string;
  audit: ChannelAudit;
}

/** Unsubscribes the app from the Page, deletes the stored token and frees the account's route. */
export async function disconnectChannel(
  deps: DisconnectChannelDeps,
  tenantId: string,
  channelId: string,
): Promise<ChannelDoc> {
  const channel = await deps.channels.get(tenantId, channelId);
  if (!channel) throw new NotFoundError('channel');
  if (channel.token) {
    try {
      await deps.graph.unsubscribeApp(channel.sendAsId, deps.open(channel));
    } catch (error) {
      // A dead token cannot unsubscribe; deleting it is what matters.
      log.warn('channel.unsubscribe_failed', { tenantId, error });
    }
  }
  const { token: _token, ...rest } = channel;
  const saved: ChannelDoc = {
    ...rest,
    status: 'disconnected',
    statusReason: 'disconnected_by_user',
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.channels.replace(saved);
  // Only this tenant's route: after a disconnect another tenant may have connected the account.
  const routeId = routeIdOf(channel.platform, channel.accountId);
  if ((await deps.channels.getRoute(routeId))?.tenantId === tenantId) await deps.channels.deleteRoute(routeId);
  await deps.audit('channel.disconnect', channel.id);
  return saved;
}
