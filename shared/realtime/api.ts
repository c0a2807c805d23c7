import { z } from 'zod';
import { defineRoute } from '../platform/api.js';
import { isoTime } from '../platform/iso-time.js';
import { registerSchema } from '../platform/openapi.js';
import { problems } from '../platform/problem.js';
import { realtimeEventSchema, realtimeUserId, tenantGroup } from './events.js';

/**
 * How long a client access URL works. The service checks it only when a client connects, so it is short: a browser
 * that reconnects negotiates again, and a removed member or a deleted account is refused there (their open
 * connections are closed when it happens).
 */
const ACCESS_MINUTES = 10;

export const negotiateRoute = defineRoute({
  name: 'v1-realtime-negotiate',
  method: 'POST',
  path: 'v1/realtime/negotiate',
  summary:
    "A Web PubSub client access URL for the live inbox: it joins the caller's tenant group only and may not join or send to any group",
  tag: 'Realtime',
  roles: ['owner', 'admin', 'agent'],
  errors: [503],
  response: {
    status: 200,
    description:
      'Connect with @azure/web-pubsub-client (or a WebSocket with subprotocol json.webpubsub.azure.v1); events are RealtimeEvent',
    schema: z
      .object({ url: z.string(), hub: z.string(), userId: z.string(), groups: z.array(z.string()), expiresAt: isoTime })
      .meta({
        id: 'RealtimeAccess',
        example: {
          url: 'wss://wps-aliat.webpubsub.azure.com/client/hubs/inbox?access_token=eyJ…',
          hub: 'inbox',
          userId: 'tn_x.Zm9v',
          groups: ['tenant.tn_x'],
          expiresAt: '2026-12-05T18:00:00.000Z',
        },
      }),
  },
  handler: async ({ rt, tenantId, principal }) => {
    if (!rt.realtime.enabled) throw problems.unavailable('The live inbox is not configured (WEB_PUBSUB_ENDPOINT).');
    const access = await rt.realtime.clientAccess(
      realtimeUserId(tenantId, principal.sub),
      [tenantGroup(tenantId)],
      ACCESS_MINUTES,
    );
    return { status: 200, body: access, headers: { 'cache-control': 'no-store' } };
  },
});

export const realtimeRoutes = [negotiateRoute];

// Clients type their event handlers from the document too.
registerSchema(realtimeEventSchema);
