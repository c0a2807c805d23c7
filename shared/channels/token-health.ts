import { getTenant } from '../accounts/index.js';
import { audit } from '../audit/index.js';
import { enqueueEmail } from '../email/index.js';
import { classifyGraphError, GraphError, graphClient } from '../messaging/index.js';
import { log } from '../platform/log.js';
import type { Runtime } from '../platform/runtime.js';
import type { ChannelDoc } from './channel-documents.js';
import { cosmosChannelRepository } from './channel-repository.js';
import { flagReconnection, openTokenWithKey, sealToken } from './channels.js';

/** How far ahead an expiring token is reported. */
export const EXPIRY_WARNING_DAYS = 7;

async function warnExpiring(rt: Runtime, channel: ChannelDoc, expiresAt: Date): Promise<void> {
  await cosmosChannelRepository(rt.cosmos).patch(channel.tenantId, channel.id, {
    statusReason: 'token_expiring',
    tokenExpiresAt: expiresAt.toISOString(),
  });
  const tenant = await getTenant(rt, channel.tenantId);
  if (tenant?.owner) {
    await enqueueEmail(rt, {
      key: `expiring:${channel.id}:${expiresAt.toISOString().slice(0, 10)}`,
      template: 'channel_needs_reconnection',
      language: tenant.owner.preferredLanguage,
      to: tenant.owner.email,
      tenantId: channel.tenantId,
      data: { channel: channel.name },
    });
  }
}

/**
 * The daily token check: every connected channel's token is tried against the Graph API. A token
 * Meta rejects (190) flags the channel and tells the owner before the channel goes silent.
 * A token that still works but expires within EXPIRY_WARNING_DAYS is reported too.
 * A platform-wide job: it reads across tenants, and writes only to each channel's own tenant.
 */
export async function checkChannelTokens(rt: Runtime): Promise<{ checked: number; flagged: number }> {
  const graph = graphClient(rt.settings);
  const channels = cosmosChannelRepository(rt.cosmos);
  const resources = await channels.listConnected();
  let flagged = 0;
  for (const channel of resources) {
    try {
      const { token, previousKey } = openTokenWithKey(rt, channel);
      await graph.me(token);
      const expiry = await graph.tokenExpiry(token, `${rt.settings.META_APP_ID}|${rt.settings.META_APP_SECRET}`);
      const soonest = [expiry.expiresAt, expiry.dataAccessExpiresAt].filter((t) => t > 0).sort((a, b) => a - b)[0];
      if (soonest !== undefined && soonest * 1000 < rt.clock.now().getTime() + EXPIRY_WARNING_DAYS * 86_400_000) {
        // Still working, but not for long: tell the owner before the channel goes silent.
        flagged++;
        await warnExpiring(rt, channel, new Date(soonest * 1000));
      }
      await channels.patch(channel.tenantId, channel.id, {
        tokenCheckedAt: rt.clock.now().toISOString(),
        // During a key rotation, tokens still sealed with the previous key move to the current one.
        ...(previousKey ? { token: sealToken(rt, channel.tenantId, channel.accountId, token) } : {}),
      });
    } catch (error) {
      const reauth = error instanceof GraphError && classifyGraphError(error) === 'reauth';
      const undecryptable = error instanceof Error && error.name === 'DecryptError';
      if (!reauth && !undecryptable) {
        log.warn('channel.token_check_inconclusive', { tenantId: channel.tenantId, error });
        continue;
      }
      flagged++;
      await flagReconnection(rt, channel, reauth ? 'token_invalid' : 'token_unreadable');
      await audit(rt, {
        tenantId: channel.tenantId,
        action: 'channel.needs_reconnection',
        actor: { sub: 'system', role: 'system' },
        target: { type: 'channel', id: channel.id },
      });
    }
  }
  log.info('channel.token_check', { checked: resources.length, flagged });
  return { checked: resources.length, flagged };
}
