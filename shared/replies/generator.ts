import type { TenantDoc } from '../accounts/index.js';
import type { ContactDoc } from '../contacts/index.js';
import type { ConversationDoc, MessageDoc } from '../conversations/index.js';
import type { Runtime } from '../platform/runtime.js';

/** What the reply generator is asked: the tenant, the conversation, and the new inbound messages in order. */
export interface ReplyRequest {
  tenant: TenantDoc;
  conversation: ConversationDoc;
  contact: ContactDoc | undefined;
  /** The unanswered inbound messages, oldest first. */
  inbound: MessageDoc[];
  /** Earlier turns, oldest first, for context. */
  history: MessageDoc[];
}

/** What made a reply: the model, the fallback's one fact, a polite word back, the quota or a person request. */
export const REPLY_GENERATORS = ['azure-openai', 'knowledge-fallback', 'knowledge-courtesy', 'knowledge', 'quota'];

/**
 * Why a colleague took over. Insights group them: no_clear_match, no_knowledge_base, the model's
 * two and holiday_not_listed are `no_match` (a knowledge gap); quota_exceeded is `quota`.
 */
export const HANDOFF_REASONS = [
  'no_text',
  'asked_for_human',
  'no_knowledge_base',
  'model_could_not_answer',
  'model_cited_no_passage',
  'low_confidence',
  'content_filter',
  'no_clear_match',
  'holiday_not_listed',
  'quota_exceeded',
] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** How a reply was made, stored with it so "why did the bot say this?" has an answer. */
export interface ReplyLineage {
  /** One of REPLY_GENERATORS (tests and benchmarks name their stand-ins). */
  generator: string;
  passageIds: string[];
  /** The knowledge base entries behind the passages, so a changed entry can list the replies that used it. */
  entryIds?: string[];
  knowledgeVersion?: number;
  modelDeployment?: string;
  promptVersion?: string;
  confidence: number;
  handoffReason?: HandoffReason;
  language?: string;
  /** Whether the model was sent the whole knowledge base or retrieved passages. */
  passagesSent?: 'whole' | 'retrieved';
  /** Handed off for no clear match: the passages that came closest (three at most), which an owner may reword. */
  closestPassageIds?: string[];
}

export interface ReplyResult {
  text: string;
  handoff: boolean;
  lineage: ReplyLineage;
  usage?: { inputTokens: number; outputTokens: number };
}

/** Produces the bot's answer. The knowledge slice provides the real one. */
export interface ReplyGenerator {
  generate(request: ReplyRequest, rt: Runtime): Promise<ReplyResult>;
}

/** What the reply slice needs of the runtime: the generator, which functions/runtime.ts builds (tests swap it). */
export interface RepliesRuntime extends Runtime {
  replyGenerator: ReplyGenerator;
}

/** The runtime's generator; every runtime functions/ builds has one. */
export function replyGeneratorOf(rt: Runtime): ReplyGenerator {
  const generator = (rt as Partial<RepliesRuntime>).replyGenerator;
  if (!generator) throw new Error('This runtime has no reply generator (functions/runtime.ts builds the app runtime)');
  return generator;
}
