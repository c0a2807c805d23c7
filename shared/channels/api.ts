import { z } from 'zod';
import { audit } from '../audit/index.js';
import { GraphError, graphClient, SUBSCRIBED_FIELDS } from '../messaging/index.js';
import { defineRoute } from '../platform/api.js';
import { createOnce, readDoc } from '../platform/document-store.js';
import { isoTime } from '../platform/iso-time.js';
import { log } from '../platform/log.js';
import { HttpProblem, problems } from '../platform/problem.js';
import { type ChannelDoc, openToken, type RouteDoc, routeIdOf, sealToken, sendingBlocked } from './channels.js';
import { claimProblem, type GraphFacts, graphFacts } from './ownership.js';

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

export const listChannelsRoute = defineRoute({
  name: 'v1-channels-list',
  method: 'GET',
  path: 'v1/channels',
  summary: 'Connected Pages and Instagram accounts with their status',
  tag: 'Channels',
  roles: ['owner', 'admin'],
  response: { status: 200, description: 'Channels', schema: z.object({ items: z.array(channelView) }) },
  handler: async ({ rt, tenantId }) => {
    const { resources } = await rt.cosmos
      .container('channels')
      .items.query<ChannelDoc>(
        {
          query: "SELECT * FROM c WHERE c.tenantId = @t AND c.type = 'channel'",
          parameters: [{ name: '@t', value: tenantId }],
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return { status: 200, body: { items: resources.map(view) } };
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
        .regex(/^\d{1,30}$/)
        .describe('The Page id, or the Instagram professional account id'),
      pageId: z
        .string()
        .regex(/^\d{1,30}$/)
        .describe('The Page that sends (for Instagram, the linked Page)'),
      name: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .regex(/^[^\p{Cc}\u2028\u2029]*$/u, 'must not contain control characters or line breaks'),
      pageAccessToken: z.string().min(20).max(1000),
    })
    .meta({ id: 'ChannelConnection' }),
  errors: [409, 422],
  response: { status: 201, description: 'Connected', schema: channelView },
  handler: async ({ rt, tenantId, principal, body, ip }) => {
    let facts: GraphFacts;
    try {
      facts = await graphFacts(graphClient(rt.settings), body);
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      throw new HttpProblem(
        422,
        'token-rejected',
        'Facebook rejected the token',
        `Graph API error ${error.code ?? error.status}. Log in with Facebook again.`,
      );
    }
    const unproven = claimProblem(body, facts);
    if (unproven) {
      log.warn('channel.connect_unproven', { tenantId, platform: body.platform, field: unproven.field });
      throw problems.badRequest('The token does not control this account.', [unproven]);
    }
    // Only after the proof: a failed proof answers alike whether or not the id is connected elsewhere.
    const routeId = routeIdOf(body.platform, body.accountId);
    const route = await readDoc<RouteDoc>(rt.cosmos.container('routes'), routeId, routeId);
    if (route && route.tenantId !== tenantId)
      throw problems.conflict('This account is connected to another Aliat account.');
    const now = rt.clock.now().toISOString();
    const channel: ChannelDoc = {
      id: `ch_${body.platform}_${body.accountId}`,
      tenantId,
      type: 'channel',
      platform: body.platform,
      accountId: body.accountId,
      sendAsId: body.pageId,
      name: body.name,
      status: 'connected',
      token: sealToken(rt, tenantId, body.accountId, body.pageAccessToken),
      connectedAt: now,
      updatedAt: now,
      tokenCheckedAt: now,
    };
    // The route first, so two tenants proving the same account at once cannot both connect it.
    if (
      !(await createOnce<RouteDoc>(rt.cosmos.container('routes'), { id: routeId, tenantId, channelId: channel.id }))
    ) {
      const winner = await readDoc<RouteDoc>(rt.cosmos.container('routes'), routeId, routeId);
      if (winner && winner.tenantId !== tenantId)
        throw problems.conflict('This account is connected to another Aliat account.');
    }
    await rt.cosmos.container('channels').items.upsert(channel);
    await audit(rt, {
      tenantId,
      action: 'channel.connect',
      actor: principal,
      ip,
      target: { type: 'channel', id: channel.id },
    });
    await graphClient(rt.settings).subscribeApp(body.pageId, body.pageAccessToken, SUBSCRIBED_FIELDS);
    await audit(rt, {
      tenantId,
      action: 'channel.token_used_for_subscription',
      actor: principal,
      ip,
      target: { type: 'channel', id: channel.id },
      details: { fields: SUBSCRIBED_FIELDS.length },
    });
    return { status: 201, body: view(channel) };
  },
});

export const disconnectChannelRoute = defineRoute({
  name: 'v1-channels-disconnect',
  method: 'DELETE',
  path: 'v1/channels/{channelId}',
  summary: 'Disconnect: unsubscribe from the Page and delete the stored token',
  tag: 'Channels',
  roles: ['owner', 'admin'],
  params: z.object({ channelId: z.string().regex(/^ch_[\w]{1,80}$/) }),
  errors: [404],
  response: { status: 200, description: 'Disconnected', schema: channelView },
  handler: async ({ rt, tenantId, principal, params, ip }) => {
    const channel = await readDoc<ChannelDoc>(rt.cosmos.container('channels'), params.channelId, tenantId);
    if (!channel) throw problems.notFound('channel');
    if (channel.token) {
      try {
        await graphClient(rt.settings).unsubscribeApp(channel.sendAsId, openToken(rt, channel));
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
      updatedAt: rt.clock.now().toISOString(),
    };
    await rt.cosmos.container('channels').item(channel.id, tenantId).replace(saved);
    const routeId = routeIdOf(channel.platform, channel.accountId);
    await rt.cosmos
      .container('routes')
      .item(routeId, routeId)
      .delete()
      .catch(() => undefined);
    await audit(rt, {
      tenantId,
      action: 'channel.disconnect',
      actor: principal,
      ip,
      target: { type: 'channel', id: channel.id },
    });
    return { status: 200, body: view(saved) };
  },
});

export const channelRoutes = [listChannelsRoute, connectChannelRoute, disconnectChannelRoute];
