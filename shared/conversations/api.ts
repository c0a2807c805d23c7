import { z } from 'zod';
import { audit } from '../audit/index.js';
import { defineRoute } from '../platform/api.js';
import { isoFromMs, isoTime } from '../platform/iso-time.js';
import { pageQuery, pageSchema } from '../platform/paging.js';
import { deleteConversation } from '../privacy/index.js';
import { changeConversationState, type StateChange } from './change-conversation-state.js';
import { type ConversationDeps, conversationDeps } from './conversation-deps.js';
import type { ConversationDoc, MessageDoc } from './documents.js';
import { findConversation } from './find-conversation.js';
import { listConversations } from './list-conversations.js';
import { readMessages } from './read-messages.js';
import { type RowExtras, rowExtras } from './rows.js';
import { sendHumanReply } from './send-human-reply.js';
import { effectiveState } from './state.js';
import { memberKey, unreadFor } from './unread.js';

const AGENTS = ['owner', 'admin', 'agent'] as const;
const idParams = z.object({ conversationId: z.string().regex(/^cv_[\w-]{10,64}$/) });

const transitionView = z.object({
  from: z.string(),
  to: z.string(),
  event: z.string(),
  at: isoTime,
  by: z.string(),
  reason: z.string().optional(),
});
export const conversationView = z
  .object({
    id: z.string(),
    channelId: z.string(),
    contactId: z.string(),
    platform: z.enum(['messenger', 'instagram']),
    state: z.enum(['bot', 'human', 'paused', 'restricted']),
    pausedUntil: isoTime.optional(),
    resolvedAt: isoTime.optional(),
    unread: z
      .number()
      .int()
      .describe(
        'Inbound messages the calling member has not marked read (POST .../read); reading messages never changes it',
      ),
    assignee: z.string().optional().describe('The member (sub) this conversation is assigned to'),
    contact: z.object({ id: z.string(), name: z.string().optional(), avatarUrl: z.string().optional() }).optional(),
    lastMessage: z
      .object({
        id: z.string(),
        direction: z.enum(['in', 'out']),
        author: z.enum(['bot', 'human', 'meta_inbox']).optional(),
        preview: z.string(),
        at: isoTime,
      })
      .optional(),
    lastInboundAt: isoTime.optional(),
    lastOutboundAt: isoTime.optional(),
    updatedAt: isoTime,
    transitions: z.array(transitionView),
  })
  .meta({
    id: 'Conversation',
    example: {
      id: 'cv_Zk9xQ2mP0aLr7TnB1cDe',
      channelId: 'ch_instagram_17841400000000101',
      contactId: 'ct_Hq2Lm8Pz0xRv5NcW3aBy',
      platform: 'instagram',
      state: 'human',
      unread: 2,
      contact: { id: 'ct_Hq2Lm8Pz0xRv5NcW3aBy', name: 'Maria Ionescu' },
      lastMessage: {
        id: 'msg_Pq7',
        direction: 'in',
        preview: 'Can I book for Saturday?',
        at: '2026-12-05T16:20:00.000Z',
      },
      lastInboundAt: '2026-12-05T16:20:00.000Z',
      updatedAt: '2026-12-05T16:20:01.000Z',
      transitions: [
        {
          from: 'bot',
          to: 'human',
          event: 'handoff',
          at: '2026-12-05T16:20:01.000Z',
          by: 'bot',
          reason: 'asked_for_human',
        },
      ],
    },
  });

export const messageView = z
  .object({
    id: z.string(),
    direction: z.enum(['in', 'out']),
    text: z.string().optional(),
    attachments: z
      .array(
        z.object({
          type: z.string(),
          url: z.string().optional(),
          stickerId: z.string().optional(),
          blob: z.string().optional(),
          copyFailed: z.string().optional(),
        }),
      )
      .optional(),
    timestamp: isoTime.describe('When the message was sent (Meta time for inbound)'),
    status: z.string(),
    author: z.string().optional(),
    failure: z.string().optional(),
    lineage: z
      .looseObject({
        generator: z
          .string()
          .optional()
          .describe(
            'What made the reply: azure-openai, knowledge-fallback, knowledge-courtesy, knowledge (a person was asked for), quota',
          ),
        passageIds: z.array(z.string()).optional().describe('The knowledge base passages the reply used'),
        entryIds: z.array(z.string()).optional().describe('The entries behind those passages'),
        confidence: z.number().optional(),
        handoffReason: z
          .string()
          .optional()
          .describe('Why a colleague took over (as in PlaygroundReply.handoffReason)'),
        language: z.string().optional().describe('The language of the reply: en or ro'),
        knowledgeVersion: z.number().optional(),
        modelDeployment: z.string().optional(),
        promptVersion: z.string().optional(),
        passagesSent: z.enum(['whole', 'retrieved']).optional(),
        closestPassageIds: z
          .array(z.string())
          .optional()
          .describe('Handed off for no clear match: the passages that came closest, which the owner may reword'),
        disclosure: z.boolean().optional().describe('Whether the automated-assistant notice went out with it (§13)'),
      })
      .optional()
      .describe('How a bot reply was made (bot replies only); more fields may be added'),
  })
  .meta({
    id: 'Message',
    example: {
      id: 'msg_Pq7',
      direction: 'in',
      text: 'Can I book for Saturday?',
      timestamp: '2026-12-05T16:20:00.000Z',
      status: 'received',
    },
  });

function view(c: ConversationDoc, now: Date, key: string, extras?: RowExtras): z.infer<typeof conversationView> {
  return {
    id: c.id,
    channelId: c.channelId,
    contactId: c.contactId,
    platform: c.platform,
    state: effectiveState(c, now),
    ...(c.pausedUntil && effectiveState(c, now) === 'paused' ? { pausedUntil: c.pausedUntil } : {}),
    ...(c.resolvedAt ? { resolvedAt: c.resolvedAt } : {}),
    unread: unreadFor(c, key),
    ...(c.assignee ? { assignee: c.assignee } : {}),
    ...(extras?.contact
      ? {
          contact: {
            id: extras.contact.id,
            ...(extras.contact.name ? { name: extras.contact.name } : {}),
            ...(extras.contact.profilePicUrl ? { avatarUrl: extras.contact.profilePicUrl } : {}),
          },
        }
      : {}),
    ...(extras?.last
      ? {
          lastMessage: {
            id: extras.last.id,
            direction: extras.last.direction,
            ...(extras.last.author ? { author: extras.last.author } : {}),
            preview: extras.last.preview,
            at: isoFromMs(extras.last.timestamp),
          },
        }
      : {}),
    ...(c.lastInboundAt ? { lastInboundAt: c.lastInboundAt } : {}),
    ...(c.lastOutboundAt ? { lastOutboundAt: c.lastOutboundAt } : {}),
    updatedAt: c.updatedAt,
    transitions: c.transitions.map((t) => ({ ...t })),
  };
}

/** A conversation as one row of the inbox, with its contact and last message. */
export async function conversationRow(
  deps: Pick<ConversationDeps, 'contacts' | 'messages' | 'clock'>,
  c: ConversationDoc,
  sub: string,
): Promise<z.infer<typeof conversationView>> {
  const extras = await rowExtras(deps, c.tenantId, [c]);
  return view(c, deps.clock.now(), memberKey(sub), extras.get(c.id));
}

export function messageOut(m: MessageDoc): z.infer<typeof messageView> {
  return {
    id: m.id,
    direction: m.direction,
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    timestamp: isoFromMs(m.timestamp),
    status: m.status,
    ...(m.author ? { author: m.author } : {}),
    ...(m.outbound?.failure ? { failure: m.outbound.failure } : {}),
    ...(m.lineage ? { lineage: m.lineage } : {}),
  };
}

export const listConversationsRoute = defineRoute({
  name: 'v1-conversations-list',
  method: 'GET',
  path: 'v1/conversations',
  summary: 'The inbox: conversations with contact, last message and your unread count, most recently updated first',
  tag: 'Conversations',
  roles: [...AGENTS],
  query: z.object({
    state: z.enum(['bot', 'human', 'paused', 'restricted']).optional(),
    channelId: z
      .string()
      .regex(/^ch_[\w]{1,80}$/, 'a channel id')
      .optional(),
    unread: z.enum(['true', 'false']).optional().describe('Unread by the calling member'),
    assignee: z.string().min(1).max(200).optional().describe('A member sub, "me" or "none"'),
    updatedSince: z.iso.datetime().optional(),
    ...pageQuery,
  }),
  response: { status: 200, description: 'A page of conversations', schema: pageSchema(conversationView) },
  handler: async ({ rt, tenantId, principal, query }) => {
    const page = await listConversations(conversationDeps(rt), {
      tenantId,
      sub: principal.sub,
      query: {
        state: query.state,
        channelId: query.channelId,
        unread: query.unread === undefined ? undefined : query.unread === 'true',
        assignee: query.assignee,
        updatedSince: query.updatedSince,
      },
      page: {
        secret: rt.settings.PAGE_TOKEN_SECRET,
        kind: 'v1-conversations-list',
        limit: query.limit,
        token: query.continuationToken,
      },
    });
    const now = rt.clock.now();
    const key = memberKey(principal.sub);
    return {
      status: 200,
      body: {
        items: page.items.map((c) => view(c, now, key, page.extras.get(c.id))),
        ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
      },
    };
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
  handler: async ({ rt, tenantId, principal, params }) => {
    const deps = conversationDeps(rt);
    const conversation = await findConversation(deps.conversations, tenantId, params.conversationId);
    return { status: 200, body: await conversationRow(deps, conversation, principal.sub) };
  },
});

const cursorField = z.string().max(400);

export const listMessagesRoute = defineRoute({
  name: 'v1-conversations-messages',
  method: 'GET',
  path: 'v1/conversations/{conversationId}/messages',
  summary:
    'Messages of a conversation, newest first. Page older with `before`, newer with `after`. Reading marks nothing read.',
  tag: 'Conversations',
  roles: [...AGENTS],
  params: idParams,
  query: z.object({
    limit: pageQuery.limit,
    before: cursorField.optional().describe('Opaque cursor: messages older than it'),
    after: cursorField.optional().describe('Opaque cursor: messages newer than it'),
    continuationToken: cursorField.optional().describe('Same as before (kept for older clients)'),
  }),
  errors: [404],
  response: {
    status: 200,
    description: 'A page of messages, newest first',
    schema: z
      .object({
        items: z.array(messageView),
        before: z.string().optional().describe('Cursor for the older page, when there is one'),
        after: z.string().optional().describe('Cursor for newer messages (poll with it, or use the live inbox)'),
        continuationToken: z.string().optional().describe('Same as before'),
      })
      .meta({ id: 'MessagePage' }),
  },
  handler: async ({ rt, tenantId, params, query }) => {
    const page = await readMessages(conversationDeps(rt), rt.settings.PAGE_TOKEN_SECRET, {
      tenantId,
      conversationId: params.conversationId,
      limit: query.limit,
      before: query.before,
      after: query.after,
      continuationToken: query.continuationToken,
    });
    return {
      status: 200,
      body: {
        items: page.items.map(messageOut),
        ...(page.before ? { before: page.before, continuationToken: page.before } : {}),
        ...(page.after ? { after: page.after } : {}),
      },
    };
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
  body: z
    .strictObject({
      text: z.string().trim().min(1).max(8000),
      takeover: z
        .boolean()
        .default(true)
        .describe('Take the conversation over from the bot first (default); false leaves the state as it is'),
      inReplyTo: z
        .string()
        .min(1)
        .max(200)
        .optional()
        .describe(
          'The id of the newest customer message shown when the reply was written: it and those before it count as ' +
            'answered, so the bot does not answer them after you. Without it, messages that came in the 10 seconds ' +
            'before the reply are left to the bot.',
        ),
    })
    .meta({ id: 'HumanReply', example: { text: 'Yes, Saturday at 10:00 works. See you then!' } }),
  errors: [404, 409, 422],
  response: { status: 202, description: 'Queued for sending', schema: z.object({ items: z.array(messageView) }) },
  handler: async ({ rt, tenantId, principal, params, body, ip }) => {
    const docs = await sendHumanReply(conversationDeps(rt), {
      tenantId,
      conversationId: params.conversationId,
      actor: principal,
      ip,
      text: body.text,
      takeover: body.takeover,
      inReplyTo: body.inReplyTo,
    });
    return { status: 202, body: { items: docs.map(messageOut) } };
  },
});

function stateRoute(name: string, change: StateChange, summary: string) {
  return defineRoute({
    name,
    method: 'POST',
    path: `v1/conversations/{conversationId}/${change}`,
    summary,
    tag: 'Conversations',
    roles: [...AGENTS],
    params: idParams,
    errors: [404, 409],
    response: { status: 200, description: 'The conversation', schema: conversationView },
    handler: async ({ rt, tenantId, principal, params, ip }) => {
      const deps = conversationDeps(rt);
      const saved = await changeConversationState(deps, {
        tenantId,
        conversationId: params.conversationId,
        change,
        actor: principal,
        ip,
      });
      return { status: 200, body: await conversationRow(deps, saved, principal.sub) };
    },
  });
}

export const takeoverRoute = stateRoute(
  'v1-conversations-takeover',
  'takeover',
  'Take the conversation over from the bot (idempotent)',
);
export const handBackRoute = stateRoute(
  'v1-conversations-handback',
  'handback',
  'Hand the conversation back to the bot (idempotent)',
);
export const resolveRoute = stateRoute('v1-conversations-resolve', 'resolve', 'Mark the conversation resolved');

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
  handler: async ({ rt, tenantId, principal, params, ip }) => {
    await findConversation(conversationDeps(rt).conversations, tenantId, params.conversationId);
    const count = await deleteConversation(rt, tenantId, params.conversationId);
    await audit(rt, {
      tenantId,
      action: 'conversation.delete',
      actor: principal,
      ip,
      target: { type: 'conversation', id: params.conversationId },
      details: { messages: count },
    });
    return { status: 204 };
  },
});

export const conversationRoutes = [
  listConversationsRoute,
  getConversationRoute,
  listMessagesRoute,
  sendHumanReplyRoute,
  takeoverRoute,
  handBackRoute,
  resolveRoute,
  deleteConversationRoute,
];
