import type { TenantDoc } from '../accounts/index.js';
import type { MessageDoc } from '../conversations/index.js';
import {
  type Chunk,
  embed,
  lexiconConcepts,
  loadIndex,
  localMoment,
  namesUnlistedHoliday,
  type OpeningHours,
  type SearchIndex,
} from '../knowledge/index.js';
import { log } from '../platform/log.js';
import { modelClient } from '../platform/openai-client.js';
import { redactHistory, redactText } from '../platform/redact.js';
import type { Runtime } from '../platform/runtime.js';
import { COURTESY, courtesyOf, decideFallback } from './fallback-reply.js';
import type { HandoffReason, ReplyGenerator, ReplyRequest, ReplyResult } from './generator.js';
import { asksForHuman, handoffMessage } from './handoff.js';
import { askedLanguage, turnLanguage } from './language.js';
import { ContentFilteredError, completeReply, MalformedReplyError } from './model.js';
import { buildPrompt, type ChatMessage, type ModelReply, PROMPT_VERSION, passagesTokens } from './prompt.js';
import { renderAnswers } from './render.js';

const TOP_K = 5;

/** A chat model: the real one (Azure OpenAI) or, in the eval, a scripted peer. */
export interface ReplyModel {
  deployment?: string;
  complete(
    messages: ChatMessage[],
  ): Promise<{ reply: ModelReply; usage: { inputTokens: number; outputTokens: number } }>;
  /** The query's embedding, when the index has embeddings. */
  embedQuery?(text: string): Promise<number[] | undefined>;
}

/** Everything one answer needs, with no I/O of its own apart from the model. */
export interface AnswerInput {
  tenant: Pick<TenantDoc, 'id' | 'companyName' | 'bot'> & Partial<Pick<TenantDoc, 'company'>>;
  index: SearchIndex | undefined;
  inbound: Array<Pick<MessageDoc, 'text'> & Partial<Pick<MessageDoc, 'attachments' | 'postback'>>>;
  history: MessageDoc[];
  now: Date;
  model?: ReplyModel;
  /** KB_WHOLE_PROMPT_TOKENS: passages up to this many tokens go to the model whole. */
  wholeBudgetTokens: number;
}

function entryIdsOf(chunks: Chunk[]): string[] {
  return [...new Set(chunks.map((c) => c.entryId))];
}

/** The profile's structured hours in this index, the one source of truth for "open now". */
export function indexHours(index: SearchIndex | undefined): OpeningHours | undefined {
  const fact = index?.chunks.find((c) => c.fact?.type === 'hours')?.fact;
  return fact?.type === 'hours' ? fact.hours : undefined;
}

/**
 * Pure: a message as it reads: full-width letters as plain ones (NFKC), and invisible characters (zero-width
 * spaces and joiners, soft hyphens, the byte-order mark) taken out, so "eco\u00adgrafia" is "ecografia".
 */
export function readable(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, '')
    .trim();
}

/** Whether a message is the "Get Started" button (or a page's own start button) rather than a question. */
function startsConversation(m: Partial<Pick<MessageDoc, 'postback'>>): boolean {
  return m.postback !== undefined && START.test(`${m.postback.title ?? ''} ${m.postback.payload ?? ''}`);
}
const START = /get[\s_-]*started|^\s*start\s*$|(?<!\p{L})(?:începe|incepe|să începem|sa incepem)(?!\p{L})/iu;

/** Messenger's "like" (thumbs-up) sticker, in its three sizes. */
const LIKE_STICKERS = new Set(['369239263222822', '369239343222814', '369239383222810']);

/**
 * Pure: what a burst without words is, when it asks nothing of a person: the like sticker, a mention in
 * the customer's story, or the "Get Started" button. A photo, a voice note or any other sticker goes to a colleague.
 */
function wordlessKind(
  inbound: Array<Partial<Pick<MessageDoc, 'attachments' | 'postback'>>>,
): 'like' | 'mention' | 'start' | undefined {
  const attachments = inbound.flatMap((m) => m.attachments ?? []);
  if (inbound.some(startsConversation)) return 'start';
  if (attachments.length === 0) return undefined;
  if (attachments.every((a) => a.stickerId !== undefined && LIKE_STICKERS.has(a.stickerId))) return 'like';
  if (attachments.every((a) => a.type === 'story_mention')) return 'mention';
  return undefined;
}

/** Whole-knowledge decisions are cached per index object (one tenant, one version). */
const wholeFits = new WeakMap<SearchIndex, boolean>();
function fitsWhole(index: SearchIndex, budget: number): boolean {
  let fits = wholeFits.get(index);
  if (fits === undefined) {
    fits = passagesTokens(index.chunks) <= budget;
    wholeFits.set(index, fits);
  }
  return fits;
}

/**
 * The bot's answer, grounded in the tenant's knowledge base. A request for a person hands off at
 * once. With a model, a knowledge base within the token budget goes to it whole (a stable,
 * cacheable prefix), a larger one through hybrid retrieval with the previous turn in the query; without
 * a model, or when it fails, the one passage that clearly answers is said in the customer's language,
 * and otherwise a colleague takes over. Nothing is ever made up.
 */
export async function answerFromKnowledge(input: AnswerInput): Promise<ReplyResult> {
  const { tenant, index, now, model } = input;
  // The "Get Started" button's title is no question: it opens a conversation.
  const question = readable(
    input.inbound
      .filter((m) => !startsConversation(m))
      .map((m) => m.text ?? '')
      .join('\n'),
  );
  const earlierIn = input.history.filter((m) => m.direction === 'in' && m.text);
  const lastOut = [...input.history].reverse().find((m) => m.direction === 'out');
  const previousTurn = earlierIn[earlierIn.length - 1]?.text ?? '';
  const language = turnLanguage(question, input.history, tenant.bot.languages);
  const hours = indexHours(index);
  const handoff = (
    reason: HandoffReason,
    extra: Partial<ReplyResult['lineage']> = {},
    usage?: ReplyResult['usage'],
  ): ReplyResult => ({
    text: handoffMessage(language, now, tenant.bot, hours),
    handoff: true,
    lineage: {
      generator: 'knowledge',
      passageIds: [],
      confidence: 0,
      handoffReason: reason,
      language,
      promptVersion: PROMPT_VERSION,
      ...extra,
    },
    ...(usage ? { usage } : {}),
  });

  const polite = (kind: keyof (typeof COURTESY)['en']): ReplyResult => ({
    text: COURTESY[language][kind],
    handoff: false,
    lineage: {
      generator: 'knowledge-courtesy',
      passageIds: [],
      confidence: 1,
      language,
      ...(index ? { knowledgeVersion: index.version } : {}),
    },
  });
  const opening = !input.history.some((m) => m.direction === 'out');
  if (!question) {
    const wordless = wordlessKind(input.inbound);
    if (wordless === 'like') return polite(opening ? 'hello' : 'acknowledge');
    if (wordless === 'mention') return polite('mention');
    if (wordless === 'start') return polite('hello');
    return handoff('no_text');
  }
  if (asksForHuman(question, tenant.bot.handoffPhrases)) return handoff('asked_for_human');
  // "English please": the language rule has switched, and nothing else is asked, so a greeting in it asks what
  // they need. "Vorbiți engleză?" may also ask whether the staff do, which the knowledge base may answer first.
  const languageOnly = askedLanguage(question) !== undefined;
  if (languageOnly && !question.includes('?')) return polite('language');
  if (!index || index.chunks.length === 0) return handoff('no_knowledge_base');
  const base = { knowledgeVersion: index.version, language };

  if (model) {
    try {
      // §13: what reaches the model (embeddings and chat) is redacted; retrieval and handoff run locally on the raw
      // text.
      const whole = fitsWhole(index, input.wholeBudgetTokens);
      let passages: Chunk[];
      if (whole) passages = index.chunks;
      else {
        const vector =
          index.embeddings && model.embedQuery
            ? await model.embedQuery(redactText(`${previousTurn}\n${question}`)).catch(() => undefined)
            : undefined;
        passages = index.search(question, TOP_K, vector, previousTurn).map((h) => h.chunk);
      }
      const { reply, usage } = await model.complete(
        buildPrompt(tenant as TenantDoc, passages, redactHistory(input.history), redactText(question), language),
      );
      const known = new Map(passages.map((c) => [c.id, c]));
      const used = reply.passage_ids.filter((id) => known.has(id));
      const usedChunks = used.map((id) => known.get(id) as Chunk);
      const lineage = {
        ...base,
        generator: 'azure-openai',
        ...(model.deployment ? { modelDeployment: model.deployment } : {}),
        promptVersion: PROMPT_VERSION,
        passageIds: used,
        entryIds: entryIdsOf(usedChunks),
        confidence: reply.confidence,
        passagesSent: (whole ? 'whole' : 'retrieved') as 'whole' | 'retrieved',
      };
      if (reply.handoff) return languageOnly ? polite('language') : handoff('model_could_not_answer', lineage, usage);
      if (used.length === 0) return handoff('model_cited_no_passage', lineage, usage);
      if (reply.confidence < tenant.bot.handoffThreshold) return handoff('low_confidence', lineage, usage);
      return { text: reply.reply, handoff: false, lineage, usage };
    } catch (error) {
      if (error instanceof ContentFilteredError)
        return handoff('content_filter', {
          ...base,
          ...(model.deployment ? { modelDeployment: model.deployment } : {}),
        });
      // Timeouts, outages, 429s after retries, malformed output: the knowledge base answers instead.
      log.warn('reply.model_failed', {
        tenantId: tenant.id,
        error: error instanceof MalformedReplyError ? 'malformed' : (error as Error).name,
        status: (error as { status?: number }).status ?? null,
      });
    }
  }

  const courtesy = courtesyOf(question);
  // An acknowledgement opening a conversation ("👍" first) thanks for nothing yet: it is a greeting.
  if (courtesy) return polite(courtesy === 'acknowledge' && opening ? 'hello' : courtesy);
  const focus = Array.isArray(lastOut?.lineage?.passageIds) ? (lastOut.lineage.passageIds as string[]) : [];
  const decision = decideFallback(index.facts, question, previousTurn, focus, tenant.bot.handoffThreshold);
  const today = localMoment(now, tenant.bot.timeZone).date;
  if (!decision.hit || decision.confidence < tenant.bot.handoffThreshold) {
    if (languageOnly) return polite('language');
    // "Open on New Year's Day?" with no such day listed is the same gap whether or not the hours passage came first.
    const unlisted =
      hours !== undefined &&
      lexiconConcepts(question).includes('hours') &&
      namesUnlistedHoliday(hours, question, today, tenant.company?.country);
    const closest = index.facts.rank(question, previousTurn, focus).slice(0, 3);
    return handoff(unlisted ? 'holiday_not_listed' : 'no_clear_match', {
      ...base,
      generator: 'knowledge-fallback',
      confidence: decision.confidence,
      ...(closest.length ? { closestPassageIds: closest.map((s) => s.chunk.id) } : {}),
    });
  }
  const answers = decision.answers ?? [{ hit: decision.hit, question }];
  for (const { hit } of answers) {
    const hoursFact = hit.chunk.fact?.type === 'hours' ? hit.chunk.fact.hours : undefined;
    const asked = decision.usedHistory ? `${question}\n${previousTurn}` : question;
    if (hoursFact && namesUnlistedHoliday(hoursFact, asked, today, tenant.company?.country))
      return handoff('holiday_not_listed', {
        ...base,
        generator: 'knowledge-fallback',
        confidence: decision.confidence,
      });
  }
  const chunks = answers.map((a) => a.hit.chunk);
  const text = renderAnswers(
    answers.map(({ hit, question: asked }) => ({
      chunk: hit.chunk,
      ctx: {
        question: asked,
        ...(decision.usedHistory ? { previous: previousTurn } : {}),
        // Only a conversation already about the hours anchors a weekday to the date asked before.
        ...(focus.includes(hit.chunk.id) ? { earlier: previousTurn } : {}),
        lang: language,
        now,
        timeZone: tenant.bot.timeZone,
      },
    })),
  );
  const lineage = {
    ...base,
    generator: 'knowledge-fallback',
    passageIds: chunks.map((c) => c.id),
    entryIds: entryIdsOf(chunks),
    confidence: decision.confidence,
  };
  // What was answered is said; a colleague takes the question no fact answered.
  if (decision.unanswered)
    return {
      text: `${text}\n${handoffMessage(language, now, tenant.bot, hours, true)}`,
      handoff: true,
      lineage: { ...lineage, handoffReason: 'no_clear_match' },
    };
  return { text, handoff: false, lineage };
}

/** The generator the reply job uses: loads the tenant's index and the configured model, then answers. */
export class KnowledgeReplyGenerator implements ReplyGenerator {
  async generate(request: ReplyRequest, rt: Runtime): Promise<ReplyResult> {
    const client = modelClient(rt.settings);
    const model: ReplyModel | undefined = client
      ? {
          deployment: rt.settings.AZURE_OPENAI_CHAT_DEPLOYMENT,
          complete: (messages) => completeReply(client, rt.settings, messages),
          ...(rt.settings.AZURE_OPENAI_EMBEDDING_DEPLOYMENT
            ? { embedQuery: (text: string) => embed(client, rt.settings, [text]).then((v) => v[0]) }
            : {}),
        }
      : undefined;
    // Loaded for a photo or a sticker too: its handoff says when we open, from the profile's hours.
    const index = await loadIndex(rt, request.tenant.id);
    return answerFromKnowledge({
      tenant: request.tenant,
      index,
      inbound: request.inbound,
      history: request.history,
      now: rt.clock.now(),
      ...(model ? { model } : {}),
      wholeBudgetTokens: rt.settings.KB_WHOLE_PROMPT_TOKENS,
    });
  }
}
