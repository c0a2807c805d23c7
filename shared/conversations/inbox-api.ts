import { z } from 'zod';
import { defineRoute } from '../platform/api.js';
import { isoFromMs, isoTime } from '../platform/iso-time.js';
import { pageQuery, pageSchema } from '../platform/paging.js';
import { conversationRow, conversationView } from './api.js';
import { assignConversation } from './assign-conversation.js';
import { conversationDeps } from './conversation-deps.js';
import { markConversationRead } from './mark-read.js';
import { previewOf } from './preview.js';
import { memberKey, summarize } from './unread.js';

const AGENTS = ['owner', 'admin', 'agent'] as const;
const idParams = z.object({ conversationId: z.string().regex(/^cv_[\w-]{10,64}$/) });

export const markReadRoute = defineRoute({
  name: 'v1-conversations-read',
  method: 'POST',
  path: 'v1/conversations/{conversationId}/read',
  summary: 'Mark the conversation read for the calling member (only this marks anything read)',
  tag: 'Conversations',
  roles: [...AGENTS],
  params: idParams,
  errors: [404],
  response: { status: 200, description: 'The conversation, with your unread count at 0', schema: conversationView },
  handler: async ({ rt, tenantId, principal, params }) => {
    const deps = conversationDeps(rt);
    const saved = await markConversationRead(deps, tenantId, params.conversationId, principal.sub);
    return { status: 200, body: await conversationRow(deps, saved, principal.sub) };
  },
});

export const assignRoute = defineRoute({
  name: 'v1-conversations-assign',
  method: 'PUT',
  path: 'v1/conversations/{conversationId}/assignee',
  summary: 'Assign the conversation to a member of the team, or unassign it with null',
  tag: 'Conversations',
  roles: [...AGENTS],
  params: idParams,
  body: z
    .strictObject({ assignee: z.string().min(1).max(200).nullable().describe('A member sub, or null') })
    .meta({ id: 'Assignment', example: { assignee: 'auth0|65f0c2d1' } }),
  errors: [404, 422],
  response: { status: 200, description: 'The conversation', schema: conversationView },
  handler: async ({ rt, tenantId, principal, params, body }) => {
    const deps = conversationDeps(rt);
    const saved = await assignConversation(deps, {
      tenantId,
      conversationId: params.conversationId,
      assignee: body.assignee,
      by: principal.sub,
    });
    return { status: 200, body: await conversationRow(deps, saved, principal.sub) };
  },
});

const channelTotals = z.object({
  channelId: z.string(),
  platform: z.enum(['messenger', 'instagram']),
  conversations: z.number().int(),
  unreadConversations: z.number().int(),
  waitingForHuman: z.number().int(),
});

export const summaryRoute = defineRoute({
  name: 'v1-inbox-summary',
  method: 'GET',
  path: 'v1/inbox/summary',
  summary: 'Totals for badges: unread (for you), waiting for a human, assigned to you, and by channel',
  tag: 'Conversations',
  roles: [...AGENTS],
  response: {
    status: 200,
    description: 'Inbox totals',
    schema: z
      .object({
        conversations: z.number().int(),
        unreadConversations: z.number().int(),
        unreadMessages: z.number().int(),
        waitingForHuman: z.number().int(),
        assignedToMe: z.number().int(),
        byChannel: z.array(channelTotals),
      })
      .meta({
        id: 'InboxSummary',
        example: {
          conversations: 42,
          unreadConversations: 3,
          unreadMessages: 5,
          waitingForHuman: 2,
          assignedToMe: 1,
          byChannel: [
            {
              channelId: 'ch_instagram_17841400000000101',
              platform: 'instagram',
              conversations: 30,
              unreadConversations: 2,
              waitingForHuman: 1,
            },
          ],
        },
      }),
  },
  handler: async ({ rt, tenantId, principal }) => ({
    status: 200,
    body: summarize(
      await conversationDeps(rt).conversations.summaryRows(tenantId),
      memberKey(principal.sub),
      principal.sub,
      rt.clock.now(),
    ),
  }),
});

const messageHit = z
  .object({
    conversationId: z.string(),
    messageId: z.string(),
    direction: z.enum(['in', 'out']),
    preview: z.string(),
    at: isoTime,
  })
  .meta({ id: 'MessageHit' });

export const searchMessagesRoute = defineRoute({
  name: 'v1-messages-search',
  method: 'GET',
  path: 'v1/messages',
  summary: "Search your business's messages by text (case-insensitive), newest first",
  tag: 'Conversations',
  roles: [...AGENTS],
  query: z.object({ q: z.string().trim().min(2).max(100), ...pageQuery }),
  response: { status: 200, description: 'Matching messages', schema: pageSchema(messageHit) },
  handler: async ({ rt, tenantId, query }) => {
    const page = await conversationDeps(rt).messages.search(tenantId, query.q, {
      secret: rt.settings.PAGE_TOKEN_SECRET,
      kind: 'v1-messages-search',
      limit: query.limit,
      token: query.continuationToken,
    });
    const items = page.items.map((m) => ({
      conversationId: m.conversationId,
      messageId: m.id,
      direction: m.direction,
      preview: previewOf(m),
      at: isoFromMs(m.timestamp),
    }));
    return {
      status: 200,
      body: { items, ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) },
    };
  },
});

export const inboxRoutes = [markReadRoute, assignRoute, summaryRoute, searchMessagesRoute];
