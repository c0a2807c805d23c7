import { getTenant } from '../accounts/index.js';
import type { ConversationDoc, MessageDoc } from '../conversations/index.js';
import { loadCurrentIndex } from '../knowledge/index.js';
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
 * What the bot would answer a customer's question, with the passages it used. `history` holds the
 * customer's earlier messages, oldest first: each is answered in turn as the bot would, so the last
 * question is answered in that conversation ("how much?" after "do you do whitening?"). The
 * conversation and its messages exist only for this call: the generator reads them, nothing writes them. An edit
 * saved just before is indexed first, so the owner tries what they wrote.
 */
export async function tryQuestion(
  rt: Runtime,
  tenantId: string,
  question: string,
  history: string[] = [],
): Promise<{ result: ReplyResult; sources: PlaygroundSource[]; closest: PlaygroundSource[] }> {
  const tenant = await getTenant(rt, tenantId);
  if (!tenant) throw new NotFoundError('tenant');
  const index = await loadCurrentIndex(rt, tenantId);
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
  const message = (n: number, direction: 'in' | 'out', text: string, lineage?: ReplyResult['lineage']): MessageDoc => ({
    id: `playground-${n}`,
    tenantId,
    type: 'message',
    conversationId: 'playground',
    contactId: '',
    channelId: '',
    platform: 'instagram',
    direction,
    text,
    timestamp: now.getTime() - (2 * history.length - n) * 1000,
    status: direction === 'in' ? 'received' : 'sent',
    senderId: '',
    recipientId: '',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ...(lineage ? { lineage: { ...lineage } } : {}),
  });
  const generator = replyGeneratorOf(rt);
  const earlier: MessageDoc[] = [];
  for (const text of history) {
    const inbound = message(earlier.length, 'in', text);
    const reply = await generator.generate(
      { tenant, conversation, contact: undefined, inbound: [inbound], history: earlier },
      rt,
    );
    earlier.push(inbound, message(earlier.length + 1, 'out', reply.text, reply.lineage));
  }
  const result = await generator.generate(
    { tenant, conversation, contact: undefined, inbound: [message(earlier.length, 'in', question)], history: earlier },
    rt,
  );
  const shown = (ids: string[] = []) =>
    ids
      .map((id) => index?.chunks.find((c) => c.id === id))
      .filter((c) => c !== undefined)
      .map((c) => ({ id: c.id, entryId: c.entryId, kind: c.kind, title: c.title, text: c.text }));
  return { result, sources: shown(result.lineage.passageIds), closest: shown(result.lineage.closestPassageIds) };
}
