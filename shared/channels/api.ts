import { z } from 'zod';
import { audit } from '../audit/index.js';
import { graphClient } from '../messaging/index.js';
import { defineRoute } from '../platform/api.js';
import { NotFoundError } from '../platform/domain-errors.js';
import { isoTime } from '../platform/iso-time.js';
import type { Principal } from '../platform/principal.js';
import type { Runtime } from '../platform/runtime.js';
import type { ChannelDoc } from './channel-documents.js';
import { cosmosChannelRepository } from './channel-repository.js';
import { openToken, sealToken, sendingBlocked } from './channels.js';
import { type ChannelAudit, connectChannel } from './connect-channel.js';
import { disconnectChannel } from './disconnect-channel.js';

const channelView = z
  .object({
    id: z.string(),
    platform: z.enum(['messenger', 'instagram']),
    accountId: z.string(),
    sendAsId: z.string(),
    name: z.string(),
    status: z.enum(['connected', 'needs_reconnection', 'disconnected']),
    statusReason: z.string().optional(),
    connectedAt: isoTime,
    tokenCheckedAt: isoTime.optional(),
    tokenExpiresAt: isoTime.optional(),
  })
  .meta({ id: 'Channel' });

function view(c: ChannelDoc): z.infer<typeof channelView> {
  // Meta's policy block is the reason that matters most to the owner while it lasts.
  const statusReason = sendingBlocked(c) ? 'blocked_by_meta' : c.statusReason;
  return {
    id: c.id,
    platform: c.platform,
    accountId: c.accountId,
    sendAsId: c.sendAsId,
    name: c.name,
    status: c.status,
    ...(statusReason ? { statusReason } : {}),
    connectedAt: c.connectedAt,
    ...(c.tokenCheckedAt ? { tokenCheckedAt: c.tokenCheckedAt } : {}),
    ...(c.tokenExpiresAt ? { tokenExpiresAt: c.tokenExpiresAt } : {}),
  };
}

/** Audit entries of a channel use-case, with who asked and from where. */
function auditAs(rt: Runtime, tenantId: string, principal: Principal, ip: string | undefined): ChannelAudit {
  return (action, channelId, details) =>
    audit(rt, {
      tenantId,
      action,
      actor: principal,
      ip,
      target: { type: 'channel', id: channelId },
      ...(details ? { details } : {}),
    });
}

export const listChannelsRoute = defineRoute({
  name: 'v1-channels-list',
  method: 'GET',
  path: 'v1/channels',
  summary: 'Connected Pages and Instagram accounts with their status',
  tag: 'Channels',
  roles: ['owner', 'admin'],
  response: { status: 200, description: 'Channels', schema: z.object({ items: z.array(channelView) }) },
  handler: async ({ rt, tenantId }) => {
    const channels = await cosmosChannelRepository(rt.cosmos).list(tenantId);
    return { status: 200, body: { items: channels.map(view) } };
  },
});

export const connectChannelRoute = defineRoute({
  name: 'v1-channels-connect',
  method: 'POST',
  path: 'v1/channels',
  summary: 'Connect a Facebook Page or Instagram professional account with the Page access token from Facebook Login',
  tag: 'Channels',
  roles: ['owner', 'admin'],
  body: z
    .strictObject({
      platform: z.enum(['messenger', 'instagram']),
      accountId: z
        .string()
        .regex(/^\d{1,30}$/, 'a Meta id: digits only')
        .describe('The Page id, or the Instagram professional account id'),
      pageId: z
        .string()
        .regex(/^\d{1,30}$/, 'a Meta id: digits only')
        .describe('The Page that sends (for Instagram, the linked Page)'),
      name: z
        .string()
        .trim()
        .min(1)
        .max(200)
        // The control characters (Unicode Cc) written out, with no regex flag, so the OpenAPI pattern is this regex too.
        // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
        .regex(/^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$/, 'must not contain control characters or line breaks'),
      pageAccessToken: z.string().min(20).max(1000),
    })
    .meta({ id: 'ChannelConnection' }),
  errors: [409, 422],
  response: { headers: ['Location'], status: 201, description: 'Connected', schema: channelView },
  handler: async ({ rt, tenantId, principal, body, ip }) => {
    const deps = {
      channels: cosmosChannelRepository(rt.cosmos),
      graph: graphClient(rt.settings),
      clock: rt.clock,
      seal: (t: string, accountId: string, token: string) => sealToken(rt, t, accountId, token),
      audit: auditAs(rt, tenantId, principal, ip),
    };
    const channel = await connectChannel(deps, tenantId, body);
    return { status: 201, body: view(channel), headers: { location: `/api/v1/channels/${channel.id}` } };
  },
});

const channelParams = z.object({ channelId: z.string().regex(/^ch_[\w]{1,80}$/) });

export const getChannelRoute = defineRoute({
  name: 'v1-channels-get',
  method: 'GET',
  path: 'v1/channels/{channelId}',
  summary: 'One connected Page or Instagram account with its status (the Location of a connection)',
  tag: 'Channels',
  roles: ['owner', 'admin'],
  params: channelParams,
  errors: [404],
  response: { status: 200, description: 'The channel', schema: channelView },
  handler: async ({ rt, tenantId, params }) => {
    const channel = await cosmosChannelRepository(rt.cosmos).get(tenantId, params.channelId);
    if (!channel) throw new NotFoundError('channel');
    return { status: 200, body: view(channel) };
  },
});

export const disconnectChannelRoute = defineRoute({
  name: 'v1-channels-disconnect',
  method: 'DELETE',
  path: 'v1/channels/{channelId}',
  summary: 'Disconnect: unsubscribe from the Page and delete the stored token',
  tag: 'Channels',
  roles: ['owner', 'admin'],
  params: channelParams,
  errors: [404],
  response: { status: 200, description: 'Disconnected', schema: channelView },
  handler: async ({ rt, tenantId, principal, params, ip }) => {
    const deps = {
      channels: cosmosChannelRepository(rt.cosmos),
      graph: graphClient(rt.settings),
      clock: rt.clock,
      open: (channel: ChannelDoc) => openToken(rt, channel),
      audit: auditAs(rt, tenantId, principal, ip),
    };
    return { status: 200, body: view(await disconnectChannel(deps, tenantId, params.channelId)) };
  },
});

export const channelRoutes = [listChannelsRoute, connectChannelRoute, getChannelRoute, disconnectChannelRoute];
