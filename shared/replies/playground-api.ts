import { z } from 'zod';
import { defineRoute } from '../platform/api.js';
import { HANDOFF_REASONS, REPLY_GENERATORS } from './generator.js';
import { tryQuestion } from './try-question.js';

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
  body: z.strictObject({
    question: z.string().trim().min(1).max(2000),
    // Each earlier message is answered too (a model call each, when a model is configured): five bound the cost.
    history: z.array(z.string().trim().min(1).max(2000)).max(5).optional().meta({
      description:
        "The customer's earlier messages in the conversation, oldest first (five at most). Each is answered as the bot would, so the question is answered as a follow-up; an earlier handoff does not stop the preview as it would stop the bot.",
    }),
  }),
  errors: [404],
  response: {
    status: 200,
    description: 'The reply the bot would send',
    schema: z
      .object({
        reply: z.string(),
        handoff: z.boolean(),
        handoffReason: z.enum(HANDOFF_REASONS).optional().meta({
          description:
            'Why a colleague takes over. Insights count no_clear_match, no_knowledge_base, model_could_not_answer, model_cited_no_passage and holiday_not_listed as no_match (knowledge gaps)',
        }),
        confidence: z.number(),
        language: z.enum(['en', 'ro']).optional(),
        generator: z.string().meta({ description: `What made the reply: ${REPLY_GENERATORS.join(', ')}` }),
        knowledgeVersion: z.number().optional(),
        sources: z.array(sourceSchema),
        closest: z.array(sourceSchema).optional().meta({
          description:
            'Handed off for no clear match: the passages that came closest (three at most), best first. Two that tie are two entries a customer cannot tell apart in those words; one alone may need the words customers use.',
        }),
      })
      .meta({ id: 'PlaygroundReply' }),
  },
  handler: async ({ rt, tenantId, body }) => {
    const { result, sources, closest } = await tryQuestion(rt, tenantId, body.question, body.history);
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
        sources,
        ...(closest.length ? { closest } : {}),
      },
    };
  },
});
