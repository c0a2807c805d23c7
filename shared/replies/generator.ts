import type { TenantDoc } from '../accounts/tenants.js';
import type { ContactDoc, ConversationDoc, MessageDoc } from '../messaging/documents.js';

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

/** How a reply was made, stored with it so "why did the bot say this?" has an answer. */
export interface ReplyLineage {
  generator: string;
  passageIds: string[];
  knowledgeVersion?: number;
  modelDeployment?: string;
  promptVersion?: string;
  confidence: number;
  handoffReason?: string;
  language?: string;
}

export interface ReplyResult {
  text: string;
  handoff: boolean;
  lineage: ReplyLineage;
  usage?: { inputTokens: number; outputTokens: number };
}

/** Produces the bot's answer. The knowledge slice provides the real one. */
export interface ReplyGenerator {
  generate(request: ReplyRequest): Promise<ReplyResult>;
}

let current: ReplyGenerator | undefined;
let factory: (() => ReplyGenerator) | undefined;

/** Registers how to build the default generator (the knowledge slice does this). */
export function setReplyGeneratorFactory(make: () => ReplyGenerator): void {
  factory = make;
  current = undefined;
}

/** Replaces the generator outright (tests, benchmarks). */
export function setReplyGenerator(generator: ReplyGenerator | undefined): void {
  current = generator;
}

/** The generator in use. */
export function replyGenerator(): ReplyGenerator {
  current ??= factory ? factory() : new AcknowledgingReplyGenerator();
  return current;
}

/**
 * The plain generator used before any knowledge base is wired: it never answers a question, it
 * acknowledges and hands the conversation to the business's staff.
 */
export class AcknowledgingReplyGenerator implements ReplyGenerator {
  async generate(): Promise<ReplyResult> {
    return {
      text: 'Thanks for your message! A colleague will answer you shortly.',
      handoff: true,
      lineage: { generator: 'acknowledging', passageIds: [], confidence: 0, handoffReason: 'no_generator' },
    };
  }
}
