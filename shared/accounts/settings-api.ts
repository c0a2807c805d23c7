import { z } from 'zod';
import { cosmosAuditRepository } from '../audit/index.js';
import { defineRoute } from '../platform/api.js';
import { isoTime } from '../platform/iso-time.js';
import { pageQuery, pageSchema } from '../platform/paging.js';
import { accountsDeps } from './accounts-deps.js';
import { botSettingsSchema } from './bot-settings.js';
import { readBotSettings, replaceBotSettings } from './configure-bot.js';

const settingsView = botSettingsSchema.meta({ id: 'BotSettings' });

export const getBotSettingsRoute = defineRoute({
  name: 'v1-settings-bot-get',
  method: 'GET',
  path: 'v1/settings/bot',
  summary: 'Read the bot settings',
  tag: 'Settings',
  roles: ['owner', 'admin'],
  errors: [404],
  response: { status: 200, description: 'Bot settings', schema: settingsView },
  handler: async ({ rt, tenantId }) => ({ status: 200, body: await readBotSettings(accountsDeps(rt), tenantId) }),
});

export const putBotSettingsRoute = defineRoute({
  name: 'v1-settings-bot-put',
  method: 'PUT',
  path: 'v1/settings/bot',
  summary:
    'Replace the bot settings: on/off, AI disclosure, handoff threshold and phrases, hours, tone, languages, hold, burst wait',
  tag: 'Settings',
  roles: ['owner', 'admin'],
  body: settingsView,
  errors: [404],
  response: { status: 200, description: 'Bot settings', schema: settingsView },
  handler: async ({ rt, tenantId, principal, body, ip }) => ({
    status: 200,
    body: await replaceBotSettings(accountsDeps(rt), tenantId, principal, body, ip),
  }),
});

const auditView = z
  .object({
    id: z.string(),
    at: isoTime,
    action: z.string(),
    actor: z.object({ sub: z.string(), role: z.string() }),
    target: z.object({ type: z.string(), id: z.string() }).optional(),
    ip: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'AuditEntry' });

export const auditLogRoute = defineRoute({
  name: 'v1-audit-list',
  method: 'GET',
  path: 'v1/audit',
  summary: "The tenant's audit log of sensitive operations, newest first (kept 12 months)",
  tag: 'Settings',
  roles: ['owner'],
  query: z.object(pageQuery),
  response: { status: 200, description: 'A page of audit entries', schema: pageSchema(auditView) },
  handler: async ({ rt, tenantId, query }) => {
    const page = await cosmosAuditRepository(rt.cosmos).page(tenantId, {
      secret: rt.settings.PAGE_TOKEN_SECRET,
      kind: 'v1-audit-list',
      limit: query.limit,
      token: query.continuationToken,
    });
    return {
      status: 200,
      body: {
        items: page.items.map(({ id, at, action, actor, target, ip, details }) => ({
          id,
          at,
          action,
          actor,
          ...(target ? { target } : {}),
          ...(ip ? { ip } : {}),
          ...(details ? { details } : {}),
        })),
        ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
      },
    };
  },
});

export const settingsRoutes = [getBotSettingsRoute, putBotSettingsRoute, auditLogRoute];
