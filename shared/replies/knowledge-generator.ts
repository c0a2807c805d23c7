import { detectLanguage } from '../knowledge/text.js';
import { loadIndex } from '../knowledge/store.js';
import type { Hit } from '../knowledge/search-index.js';
import { log } from '../platform/log.js';
import { redactHistory, redactText } from '../privacy/redact.js';
import type { Runtime } from '../platform/runtime.js';
import { decideFallback } from './fallback.js';
import { type ReplyGenerator, type ReplyRequest, type ReplyResult, setDefaultReplyGenerator } from './generator.js';
import { asksForHuman, handoffMessage } from './handoff.js';
import { completeReply, ContentFilteredError, embed, MalformedReplyError, modelClient } from './model.js';
import { buildPrompt, PROMPT_VERSION } from './prompt.js';

const TOP_K = 5;

function entryIdsOf(hits: Hit[]): string[] {
  return [...new Set(hits.map((h) => h.chunk.entryId))];
}

/** How a fallback passage is said to a customer. */
function passageReply(hit: Hit): string {
  if (hit.chunk.kind === 'faq') return hit.chunk.text;
  return hit.chunk.text;
}

/**
 * The bot's answer, grounded in the tenant's knowledge base. A request for a person hands off at
 * once. With Azure OpenAI configured, the model answers from the retrieved passages; without it, or
 * when it fails, times out, is filtered or answers malformed JSON, the best passage answers if it
 * clearly matches, and otherwise a colleague takes over. Nothing is ever made up.
 */
export class KnowledgeReplyGenerator implements ReplyGenerator {
  async generate(request: ReplyRequest, r: Runtime): Promise<ReplyResult> {
    const { tenant } = request;
    const question = request.inbound.map((m) => m.text ?? '').join('\n').trim();
    const detected = detectLanguage(question);
    const language = tenant.bot.languages.includes(detected) ? detected : ((tenant.bot.languages[0] as 'en' | 'ro' | undefined) ?? 'en');
    const now = r.clock.now();
    const handoff = (reason: string, extra: Partial<ReplyResult['lineage']> = {}, usage?: ReplyResult['usage']): ReplyResult => ({
      text: handoffMessage(language === 'ro' ? 'ro' : 'en', now, tenant.bot),
      handoff: true,
      lineage: { generator: 'knowledge', passageIds: [], confidence: 0, handoffReason: reason, language, promptVersion: PROMPT_VERSION, ...extra },
      ...(usage ? { usage } : {}),
    });

    if (!question) return handoff('no_text');
    if (asksForHuman(question, tenant.bot.handoffPhrases)) return handoff('asked_for_human');
    const index = await loadIndex(r, tenant.id);
    if (!index || index.chunks.length === 0) return handoff('no_knowledge_base');

    // §13: what reaches the model (embeddings and chat) is redacted; the reply never needs phones,
    // e-mails, card numbers or names. Retrieval and handoff run locally on the raw text.
    const client = modelClient(r.settings);
    let queryVector: number[] | undefined;
    if (client && index.embeddings && r.settings.AZURE_OPENAI_EMBEDDING_DEPLOYMENT) {
      queryVector = await embed(client, r.settings, [redactText(question)]).then((v) => v[0]).catch(() => undefined);
    }
    const hits = index.search(question, TOP_K, queryVector);
    const base = { knowledgeVersion: index.version, language };

    if (client) {
      try {
        const { reply, usage } = await completeReply(client, r.settings, buildPrompt(tenant, hits, redactHistory(request.history), redactText(question)));
        const known = new Set(hits.map((h) => h.chunk.id));
        const used = reply.passage_ids.filter((id) => known.has(id));
        const usedHits = hits.filter((h) => used.includes(h.chunk.id));
        const lineage = { ...base, generator: 'azure-openai', modelDeployment: r.settings.AZURE_OPENAI_CHAT_DEPLOYMENT, promptVersion: PROMPT_VERSION, passageIds: used, entryIds: entryIdsOf(usedHits), confidence: reply.confidence };
        if (reply.handoff) return handoff('model_could_not_answer', lineage, usage);
        if (used.length === 0) return handoff('model_cited_no_passage', lineage, usage);
        if (reply.confidence < tenant.bot.handoffThreshold) return handoff('low_confidence', lineage, usage);
        return { text: reply.reply, handoff: false, lineage: { ...lineage, language: reply.language || language }, usage };
      } catch (error) {
        if (error instanceof ContentFilteredError) return handoff('content_filter', { ...base, modelDeployment: r.settings.AZURE_OPENAI_CHAT_DEPLOYMENT });
        // Timeouts, outages, 429s after retries, malformed output: the knowledge base answers instead.
        log.warn('reply.model_failed', { tenantId: tenant.id, error: error instanceof MalformedReplyError ? 'malformed' : (error as Error).name, status: (error as { status?: number }).status ?? null });
      }
    }

    const decision = decideFallback(question, hits);
    if (!decision.hit || decision.confidence < tenant.bot.handoffThreshold) {
      return handoff('no_clear_match', { ...base, generator: 'knowledge-fallback', confidence: decision.confidence });
    }
    return {
      text: passageReply(decision.hit),
      handoff: false,
      lineage: { ...base, generator: 'knowledge-fallback', passageIds: [decision.hit.chunk.id], entryIds: [decision.hit.chunk.entryId], confidence: decision.confidence },
    };
  }
}

setDefaultReplyGenerator(() => new KnowledgeReplyGenerator());
