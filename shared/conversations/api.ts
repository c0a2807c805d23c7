import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { audit } from '../audit/audit.js';
import { defineRoute } from '../platform/api.js';
import { pageQuery, pageSchema, queryPage } from '../platform/paging.js';
import { HttpProblem, problems } from '../platform/problem.js';
import { QUEUES } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import type { ConversationDoc, MessageDoc } from '../messaging/documents.js';
import { applyTransition } from '../messaging/ingest.js';
import { outboundPart } from '../messaging/outbound.js';
import { splitForPlatform } from '../messaging/split-text.js';
import { createOnce, getContact, getConversation } from '../messaging/store.js';
import { sendPermission } from '../messaging/window.js';
import { deleteConversation } from './delete.js';
import { effectiveState, TransitionError } from './state.js';

const AGENTS = ['owner', 'admin', 'agent'] as const;
const idParams = z.object({ conversationId: z.string().regex(/^cv_[\w-]{10,64}$/) });

const transitionView = z.object({ from: z.string(), to: z.string(), event: z.string(), at: z.string(), by: z.string(), reason: z.string().optional() });
const conversationView = z
  .object({
    id: z.string(),
    channelId: z.string(),
    contactId: z.string(),
    platform: z.enum(['messenger', 'instagram']),
    state: z.enum(['bot', 'human', 'paused', 'restricted']),
    pausedUntil: z.string().optional(),
    resolvedAt: z.string().optional(),
    unread: z.number().int(),
    lastInboundAt: z.string().optional(),
    lastOutboundAt: z.string().optional(),
    updatedAt: z.string(),
    transitions: z.array(transitionView),
  })
  .meta({ id: 'Conversation' });

const messageView = z
  .object({
    id: z.string(),
    direction: z.enum(['in', 'out']),
    text: z.string().optional(),
    attachments: z.array(z.object({ type: z.string(), url: z.string().optional(), stickerId: z.string().optional(), blob: z.string().optional(), copyFailed: z.string().optional() })).optional(),
    timestamp: z.number(),
    status: z.string(),
    author: z.string().optional(),
    failure: z.string().optional(),
    lineage: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Message' });

function view(c: ConversationDoc, now: Date): z.infer<typeof conversationView> {
  return {
    id: c.id,
    channelId: c.channelId,
    contactId: c.contactId,
    platform: c.platform,
    state: effectiveState(c, now),
    ...(c.pausedUntil && effectiveState(c, now) === 'paused' ? { pausedUntil: c.pausedUntil } : {}),
    ...(c.resolvedAt ? { resolvedAt: c.resolvedAt } : {}),
    unread: c.unread,
    ...(c.lastInboundAt ? { lastInboundAt: c.lastInboundAt } : {}),
    ...(c.lastOutboundAt ? { lastOutboundAt: c.lastOutboundAt } : {}),
    updatedAt: c.updatedAt,
    transitions: c.transitions.map((t) => ({ ...t })),
  };
}

function messageOut(m: MessageDoc): z.infer<typeof messageView> {
  return {
    id: m.id,
    direction: m.direction,
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    timestamp: m.timestamp,
    status: m.status,
    ...(m.author ? { author: m.author } : {}),
    ...(m.outbound?.failure ? { failure: m.outbound.failure } : {}),
    ...(m.lineage ? { lineage: m.lineage } : {}),
  };
}

async function conversationOr404(r: Runtime, tenantId: string, id: string): Promise<ConversationDoc> {
  const c = await getConversation(r, tenantId, id);
  if (!c) throw problems.notFound('conversation');
  return c;
}

export const listConversationsRoute = defineRoute({
  name: 'v1-conversations-list',
  method: 'GET',
  path: 'v1/conversations',
  summary: 'List conversations, most recently updated first',
  tag: 'Conversations',
  roles: [...AGENTS],
  query: z.object({
    state: z.enum(['bot', 'human', 'paused', 'restricted']).optional(),
    channelId: z.string().max(100).optional(),
    unread: z.enum(['true', 'false']).optional(),
    updatedSince: z.iso.datetime().optional(),
    ...pageQuery,
  }),
  response: { status: 200, description: 'A page of conversations', schema: pageSchema(conversationView) },
  handler: async ({ r, tenantId, query }) => {
    const where: string[] = ["c.tenantId = @tenantId", "c.type = 'conversation'"];
    const params: Array<{ name: string; value: string | number }> = [];
    if (query.state) {
      where.push('c.state = @state');
      params.push({ name: '@state', value: query.state });
    }
    if (query.channelId) {
      where.push('c.channelId = @channelId');
      params.push({ name: '@channelId', value: query.channelId });
    }
    if (query.unread === 'true') where.push('c.unread > 0');
    if (query.unread === 'false') where.push('c.unread = 0');
    if (query.updatedSince) {
      where.push('c.updatedAt >= @since');
      params.push({ name: '@since', value: new Date(query.updatedSince).toISOString() });
    }
    const page = await queryPage<ConversationDoc>(r.cosmos.container('conversations'), tenantId, `SELECT * FROM c WHERE ${where.join(' AND ')} ORDER BY c.updatedAt DESC`, params, query.limit, query.continuationToken);
    const now = r.clock.now();
    return { status: 200, body: { items: page.items.map((c) => view(c, now)), ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) } };
  },
});

export const getConversationRoute = defineRoute({
  name: 'v1-conversations-get',
  method: 'GET',
  path: 'v1/conversations/{conversationId}',
  summary: 'Read one conversation',
  tag: 'Conversations',
  roles: [...AGENTS],
  params: idParams,
  errors: [404],
  response: { status: 200, description: 'The conversation', schema: conversationView },
  handler: async ({ r, tenantId, params }) => ({ status: 200, body: view(await conversationOr404(r, tenantId, params.conversationId), r.clock.now()) }),
});

export const listMessagesRoute = defineRoute({
  name: 'v1-conversations-messages',
  method: 'GET',
  path: 'v1/conversations/{conversationId}/messages',
  summary: 'Messages of a conversation, oldest first; reading them marks the conversation read',
  tag: 'Conversations',
  roles: [...AGENTS],
  params: idParams,
  query: z.object(pageQuery),
  errors: [404],
  response: { status: 200, description: 'A page of messages', schema: pageSchema(messageView) },
  handler: async ({ r, tenantId, params, query }) => {
    await conversationOr404(r, tenantId, params.conversationId);
    const page = await queryPage<MessageDoc>(
      r.cosmos.container('messages'),
      tenantId,
      "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'message' AND c.conversationId = @cid ORDER BY c.timestamp ASC",
      [{ name: '@cid', value: params.conversationId }],
      query.limit,
      query.continuationToken,
    );
    await r.cosmos.container('conversations').item(params.conversationId, tenantId).patch([{ op: 'set', path: '/unread', value: 0 }]);
    return { status: 200, body: { items: page.items.map(messageOut), ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) } };
  },
});

export const sendHumanReplyRoute = defineRoute({
  name: 'v1-conversations-reply',
  method: 'POST',
  path: 'v1/conversations/{conversationId}/messages',
  summary: 'Send a reply written by a person (RESPONSE within 24 h, HUMAN_AGENT up to 7 days)',
  tag: 'Conversations',
  roles: [...AGENTS],
  params: idParams,
  body: z.strictObject({ text: z.string().trim().min(1).max(8000) }),
  errors: [404, 409, 422],
  response: { status: 202, description: 'Queued for sending', schema: z.object({ items: z.array(messageView) }) },
  handler: async ({ r, tenantId, principal, params, body }) => {
    const conversation = await conversationOr404(r, tenantId, params.conversationId);
    const now = r.clock.now();
    if (effectiveState(conversation, now) === 'restricted') throw problems.conflict('Processing is restricted for this contact.');
    const permission = sendPermission('human', conversation.lastInboundAt ? new Date(conversation.lastInboundAt) : undefined, now);
    if (!permission.allowed) {
      throw new HttpProblem(422, 'messaging-window-closed', 'The messaging window is closed', permission.reason === 'human_agent_window_closed' ? 'More than 7 days have passed since the customer last wrote; Meta allows no reply until they write again.' : 'The customer has not written in this conversation.');
    }
    const contact = await getContact(r, tenantId, conversation.contactId);
    const replyId = `hr_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const parts = splitForPlatform(body.text, conversation.platform);
    const docs = parts.map((text, index) =>
      outboundPart(conversation, { id: `${replyId}_${index}`, text, index, of: parts.length, outboundId: replyId, author: 'human', senderId: principal.sub, recipientId: contact?.platformUserId ?? '', at: now }),
    );
    for (const doc of docs) await createOnce(r.cosmos.container('messages'), doc);
    await r.bus.send(QUEUES.outbound.name, { body: { tenantId, conversationId: conversation.id, messageIds: docs.map((d) => d.id), attempt: 0 }, messageId: `send:${replyId}`, sessionId: conversation.id });
    return { status: 202, body: { items: docs.map(messageOut) } };
  },
});

function stateRoute(name: string, path: string, summary: string, event: (sub: string) => Parameters<typeof applyTransition>[3], action?: 'conversation.takeover' | 'conversation.hand_back') {
  return defineRoute({
    name,
    method: 'POST',
    path: `v1/conversations/{conversationId}/${path}`,
    summary,
    tag: 'Conversations',
    roles: [...AGENTS],
    params: idParams,
    errors: [404, 409],
    response: { status: 200, description: 'The conversation', schema: conversationView },
    handler: async ({ r, tenantId, principal, params, ip }) => {
      await conversationOr404(r, tenantId, params.conversationId);
      try {
        const saved = await applyTransition(r, tenantId, params.conversationId, event(principal.sub));
        if (action) await audit(r, { tenantId, action, actor: principal, ip, target: { type: 'conversation', id: params.conversationId } });
        return { status: 200, body: view(saved as ConversationDoc, r.clock.now()) };
      } catch (error) {
        if (error instanceof TransitionError) throw problems.conflict(error.message);
        throw error;
      }
    },
  });
}

export const takeoverRoute = stateRoute('v1-conversations-takeover', 'takeover', 'Take the conversation over from the bot', (by) => ({ type: 'takeover', by }), 'conversation.takeover');
export const handBackRoute = stateRoute('v1-conversations-handback', 'handback', 'Hand the conversation back to the bot', (by) => ({ type: 'hand_back', by }), 'conversation.hand_back');
export const resolveRoute = stateRoute('v1-conversations-resolve', 'resolve', 'Mark the conversation resolved', (by) => ({ type: 'resolve', by }));

export const deleteConversationRoute = defineRoute({
  name: 'v1-conversations-delete',
  method: 'DELETE',
  path: 'v1/conversations/{conversationId}',
  summary: 'Delete the conversation with its messages and attachments, for good (§9)',
  tag: 'Conversations',
  roles: ['owner', 'admin'],
  params: idParams,
  errors: [404],
  response: { status: 204, description: 'Deleted' },
  handler: async ({ r, tenantId, principal, params, ip }) => {
    await conversationOr404(r, tenantId, params.conversationId);
    const count = await deleteConversation(r, tenantId, params.conversationId);
    await audit(r, { tenantId, action: 'conversation.delete', actor: principal, ip, target: { type: 'conversation', id: params.conversationId }, details: { messages: count } });
    return { status: 204 };
  },
});

export const conversationRoutes = [listConversationsRoute, getConversationRoute, listMessagesRoute, sendHumanReplyRoute, takeoverRoute, handBackRoute, resolveRoute, deleteConversationRoute];
