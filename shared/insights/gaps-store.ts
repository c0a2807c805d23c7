import { createHash } from 'node:crypto';
import { contactRepository } from '../contacts/index.js';
import { type ConversationDoc, messageRepository, type Transition } from '../conversations/index.js';
import { embed } from '../knowledge/index.js';
import { modelClient } from '../platform/openai-client.js';
import type { Runtime } from '../platform/runtime.js';
import { transitionKey } from './events.js';
import { bestGroup, cleanSample, gapTerms, questionMessages } from './gaps.js';
import type { GapDoc, GapSample } from './insights-documents.js';
import { cosmosInsightsRepository } from './insights-repository.js';
import { handoffCategory } from './metrics.js';

/**
 * Knowledge gaps: questions the bot handed off for lack of knowledge, grouped by topic. Samples are
 * End-User content (redacted, but still theirs): they carry the conversation and contact they came
 * from, so deleting a conversation or an End-User deletes them (§9 "Conversation data", §12.2).
 */
export type { GapDoc, GapSample } from './insights-documents.js';

export const SAMPLES_KEPT = 5;
const KEYS_KEPT = 1000;

const shortKey = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 16);

/** Most asked first, then most recent. */
export function rankGaps(gaps: GapDoc[]): GapDoc[] {
  return [...gaps].sort((a, b) => b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt));
}

export function listGaps(rt: Pick<Runtime, 'cosmos'>, tenantId: string, status?: GapDoc['status']): Promise<GapDoc[]> {
  return cosmosInsightsRepository(rt.cosmos).listGaps(tenantId, status);
}

async function questionVector(rt: Runtime, text: string): Promise<number[] | undefined> {
  const client = modelClient(rt.settings);
  if (!client || !rt.settings.AZURE_OPENAI_EMBEDDING_DEPLOYMENT) return undefined;
  // Embeddings refine the grouping; without them (or when they fail) the lexical match decides.
  return embed(client, rt.settings, [text])
    .then((v) => v[0])
    .catch(() => undefined);
}

/** Records the question behind a knowledge handoff in its topic group, once per handoff. */
export async function recordGapFromHandoff(
  rt: Runtime,
  conversation: Pick<ConversationDoc, 'tenantId' | 'id' | 'contactId'>,
  record: Transition,
): Promise<void> {
  const at = Date.parse(record.at);
  const messages = await messageRepository(rt).inConversation(conversation.tenantId, conversation.id, { upTo: at });
  const asked = questionMessages(messages, at);
  const question = asked
    .map((m) => m.text)
    .join('\n')
    .trim();
  // No messages left (the conversation was deleted meanwhile): nothing of theirs may come back.
  if (!question) return;
  const contact = await contactRepository(rt).get(conversation.tenantId, conversation.contactId);
  const text = cleanSample(question, contact?.name ? [contact.name] : []);
  const terms = gapTerms(text);
  if (terms.length === 0) return;
  const key = shortKey(`${conversation.id}|${transitionKey(record)}`);
  const sample: GapSample = {
    key,
    conversationId: conversation.id,
    contactId: conversation.contactId,
    messageIds: asked.map((m) => m.id),
    text,
    at: record.at,
  };
  await addToGroup(rt, conversation.tenantId, { terms, sample, reason: handoffCategory(record.reason ?? '') });
}

export async function addToGroup(
  rt: Runtime,
  tenantId: string,
  q: { terms: string[]; sample: GapSample; reason: string },
): Promise<string> {
  const repo = cosmosInsightsRepository(rt.cosmos);
  const groups = await repo.listGaps(tenantId);
  const already = groups.find((g) => g.keys.includes(q.sample.key));
  if (already) return already.id;
  // A group whose samples were all erased has no terms left and takes no new questions.
  const open = groups.filter((g) => g.status === 'open' && g.terms.length > 0);
  const vector = open.some((g) => g.vector) || open.length === 0 ? await questionVector(rt, q.sample.text) : undefined;
  const match = bestGroup({ terms: q.terms, vector }, open);
  if (!match) {
    const doc: GapDoc = {
      id: `gap_${q.sample.key.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}`,
      tenantId,
      type: 'insights-gap',
      status: 'open',
      terms: q.terms,
      ...(vector ? { vector } : {}),
      count: 1,
      firstAskedAt: q.sample.at,
      lastAskedAt: q.sample.at,
      reasons: { [q.reason]: 1 },
      samples: [q.sample],
      keys: [q.sample.key],
    };
    if (await repo.createGap(doc)) return doc.id;
  }
  const id = match?.id ?? `gap_${q.sample.key.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}`;
  await repo.updateGap(tenantId, id, (g) => {
    if (g.keys.includes(q.sample.key)) return undefined;
    const samples = [...g.samples, q.sample].sort((a, b) => a.at.localeCompare(b.at)).slice(-SAMPLES_KEPT);
    return {
      ...g,
      count: g.count + 1,
      // ISO times compare as strings; Math.max would turn them into NaN.
      lastAskedAt: q.sample.at > g.lastAskedAt ? q.sample.at : g.lastAskedAt,
      reasons: { ...g.reasons, [q.reason]: (g.reasons[q.reason] ?? 0) + 1 },
      samples,
      keys: [...g.keys, q.sample.key].slice(-KEYS_KEPT),
    };
  });
  return id;
}

/** Removes the samples of one conversation (deleted, End-User erased) or one message (taken back) from every gap. */
export function removeGapSamples(
  rt: Pick<Runtime, 'cosmos'>,
  tenantId: string,
  conversationId: string,
  messageId?: string,
): Promise<number> {
  return cosmosInsightsRepository(rt.cosmos).forgetSubject(tenantId, conversationId, messageId);
}
