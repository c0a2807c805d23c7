import { z } from 'zod';
import { type MemberDoc, memberId } from '../accounts/index.js';
import { defineRoute } from '../platform/api.js';
import { readDoc, updateWithRetry } from '../platform/document-store.js';
import { isoFromMs, isoTime } from '../platform/iso-time.js';
import { pageQuery, pageSchema, queryPage } from '../platform/paging.js';
import { problems } from '../platform/problem.js';
import { conversationRow, conversationView } from './api.js';
import type { ConversationDoc, MessageDoc } from './documents.js';
import { publishToTenant, publishUnread, summaryRows } from './live-updates.js';
import { previewOf } from './preview.js';
import { getConversation } from './reads.js';
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
    const key = memberKey(principal.sub);
    const saved = await updateWithRetry<ConversationDoc>(
      rt.cosmos.container('conversations'),
      params.conversationId,
      tenantId,
      (c) => {
        const seen = c.inboundCount ?? c.unread;
        return c.readBy?.[key] === seen ? undefined : { ...c, readBy: { ...c.readBy, [key]: seen } };
      },
    );
    if (!saved) throw problems.notFound('conversation');
    await publishUnread(rt, saved, principal.sub);
    return { status: 200, body: await conversationRow(rt, saved, principal.sub) };
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
    if (!(await getConversation(rt, tenantId, params.conversationId))) throw problems.notFound('conversation');
    if (body.assignee) {
      const member = await readDoc<MemberDoc>(rt.cosmos.container('tenants'), memberId(body.assignee), tenantId);
      if (member?.type !== 'member')
        throw problems.badRequest('The assignee is not a member of this account.', [
          { field: 'assignee', message: 'not a member' },
        ]);
    }
    const saved = await updateWithRetry<ConversationDoc>(
      rt.cosmos.container('conversations'),
      params.conversationId,
      tenantId,
      (c) => {
        if ((c.assignee ?? null) === body.assignee) return undefined;
        const { assignee: _previous, ...rest } = c;
        return {
          ...rest,
          ...(body.assignee ? { assignee: body.assignee } : {}),
          updatedAt: rt.clock.now().toISOString(),
        } as ConversationDoc;
      },
    );
    if (!saved) throw problems.notFound('conversation');
    await publishToTenant(rt, tenantId, {
      type: 'conversation.assigned',
      conversationId: saved.id,
      assignee: body.assignee,
      by: principal.sub,
      at: rt.clock.now().toISOString(),
    });
    return { status: 200, body: await conversationRow(rt, saved, principal.sub) };
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
    body: summarize(await summaryRows(rt, tenantId), memberKey(principal.sub), principal.sub, rt.clock.now()),
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
    const page = await queryPage<MessageDoc>(rt.cosmos.container('messages'), {
      secret: rt.settings.PAGE_TOKEN_SECRET,
      kind: 'v1-messages-search',
      tenantId,
      query:
        "SELECT c.id, c.conversationId, c.direction, c.text, c.timestamp FROM c WHERE c.tenantId = @tenantId AND c.type = 'message' AND IS_STRING(c.text) AND CONTAINS(LOWER(c.text), @q) ORDER BY c.timestamp DESC",
      parameters: [{ name: '@q', value: query.q.toLowerCase() }],
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
