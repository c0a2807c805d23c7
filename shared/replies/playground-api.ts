import { z } from 'zod';
import { getTenant } from '../accounts/index.js';
import type { ConversationDoc, MessageDoc } from '../conversations/index.js';
import { loadIndex } from '../knowledge/index.js';
import { defineRoute } from '../platform/api.js';
import { problems } from '../platform/problem.js';
import { replyGeneratorOf } from './generator.js';

const sourceSchema = z.object({
  id: z.string(),
  entryId: z.string(),
  kind: z.string(),
  title: z.string(),
  text: z.string(),
});

/** POST /api/v1/playground/replies: what the bot would answer, with sources; stores nothing. */
export const playgroundRoute = defineRoute({
  name: 'v1-playground-replies',
  method: 'POST',
  path: 'v1/playground/replies',
  summary: 'Ask the bot a question against your knowledge base, exactly as a customer would; nothing is stored',
  tag: 'Knowledge base',
  roles: ['owner', 'admin'],
  body: z.strictObject({ question: z.string().trim().min(1).max(2000) }),
  errors: [404],
  response: {
    status: 200,
    description: 'The reply the bot would send',
    schema: z
      .object({
        reply: z.string(),
        handoff: z.boolean(),
        handoffReason: z.string().optional(),
        confidence: z.number(),
        language: z.string().optional(),
        generator: z.string(),
        knowledgeVersion: z.number().optional(),
        sources: z.array(sourceSchema),
      })
      .meta({ id: 'PlaygroundReply' }),
  },
  handler: async ({ rt, tenantId, body }) => {
    const tenant = await getTenant(rt, tenantId);
    if (!tenant) throw problems.notFound('tenant');
    const now = rt.clock.now();
    // A conversation that exists only for this call: the generator reads it, nothing writes it.
    const conversation: ConversationDoc = {
      id: 'playground',
      tenantId,
      type: 'conversation',
      channelId: '',
      contactId: '',
      platform: 'instagram',
      state: 'bot',
      transitions: [],
      answeredThrough: 0,
      unread: 0,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    const inbound: MessageDoc = {
      id: 'playground-question',
      tenantId,
      type: 'message',
      conversationId: 'playground',
      contactId: '',
      channelId: '',
      platform: 'instagram',
      direction: 'in',
      text: body.question,
      timestamp: now.getTime(),
      status: 'received',
      senderId: '',
      recipientId: '',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    const result = await replyGeneratorOf(rt).generate(
      { tenant, conversation, contact: undefined, inbound: [inbound], history: [] },
      rt,
    );
    const index = await loadIndex(rt, tenantId);
    const sources = result.lineage.passageIds
      .map((id) => index?.chunks.find((c) => c.id === id))
      .filter((c) => c !== undefined);
    return {
      status: 200,
      body: {
        reply: result.text,
        handoff: result.handoff,
        ...(result.lineage.handoffReason ? { handoffReason: result.lineage.handoffReason } : {}),
        confidence: result.lineage.confidence,
        ...(result.lineage.language ? { language: result.lineage.language } : {}),
        generator: result.lineage.generator,
        ...(result.lineage.knowledgeVersion !== undefined ? { knowledgeVersion: result.lineage.knowledgeVersion } : {}),
        sources: sources.map((c) => ({ id: c.id, entryId: c.entryId, kind: c.kind, title: c.title, text: c.text })),
      },
    };
  },
});
