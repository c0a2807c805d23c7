import { getTenant } from '../accounts/index.js';
import type { ConversationDoc, MessageDoc } from '../conversations/index.js';
import { loadIndex } from '../knowledge/index.js';
import { NotFoundError } from '../platform/domain-errors.js';
import type { Runtime } from '../platform/runtime.js';
import { type ReplyResult, replyGeneratorOf } from './generator.js';

/** A passage the answer used, as the playground shows it. */
export interface PlaygroundSource {
  id: string;
  entryId: string;
  kind: string;
  title: string;
  text: string;
}

/**
 * What the bot would answer a customer's question, with the passages it used. The conversation and
 * the message exist only for this call: the generator reads them, nothing writes them.
 */
export async function tryQuestion(
  rt: Runtime,
  tenantId: string,
  question: string,
): Promise<{ result: ReplyResult; sources: PlaygroundSource[] }> {
  const tenant = await getTenant(rt, tenantId);
  if (!tenant) throw new NotFoundError('tenant');
  const now = rt.clock.now();
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
    text: question,
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
    .filter((c) => c !== undefined)
    .map((c) => ({ id: c.id, entryId: c.entryId, kind: c.kind, title: c.title, text: c.text }));
  return { result, sources };
}
