import { type ChannelDoc, openToken } from '../channels/index.js';
import { contactRepository } from '../contacts/index.js';
import { type ConversationDoc, type MessageDoc, messageRepository } from '../conversations/index.js';
import { log } from '../platform/log.js';
import type { Runtime } from '../platform/runtime.js';
import { graphClient, type ThreadMessage } from './graph-client.js';
import { GraphError } from './graph-errors.js';

/** Meta's clock and ours may disagree, and its thread times are whole seconds. */
const CLOCK_SLACK_MS = 60_000;

/** What Meta's records say about an earlier attempt whose answer we never got. */
export type EarlierSend = { state: 'accepted'; mid: string } | { state: 'not_accepted' } | { state: 'unknown' };

/**
 * Pure: the thread message that is our earlier attempt, if Meta accepted it. It is the account's
 * own message with the part's text, no older than the part, whose mid no other record of ours holds.
 */
export function findEarlierSend(
  thread: ThreadMessage[],
  want: { fromId: string; text: string; notBefore: number; taken: ReadonlySet<string> },
): ThreadMessage | undefined {
  return thread.find(
    (m) =>
      m.fromId === want.fromId && m.text === want.text && !want.taken.has(m.id) && !(m.createdTime < want.notBefore),
  );
}

/**
 * Asks the Conversations API whether an attempt that ended without an answer (5xx, timeout, crash)
 * reached the person. The Send API has no idempotency key, so this is what stands between an
 * ambiguous failure and a second copy of the reply. `unknown` when Meta cannot be asked.
 */
export async function lookUpEarlierSend(
  rt: Runtime,
  conversation: ConversationDoc,
  channel: ChannelDoc | undefined,
  message: MessageDoc,
): Promise<EarlierSend> {
  if (channel?.status !== 'connected' || !channel.token) return { state: 'unknown' };
  const contact = await contactRepository(rt).get(conversation.tenantId, conversation.contactId);
  if (!contact) return { state: 'unknown' };
  let thread: ThreadMessage[];
  try {
    thread = await graphClient(rt.settings, rt.settings.META_SEND_TIMEOUT_MS).threadMessages(
      channel.sendAsId,
      channel.platform,
      contact.platformUserId,
      openToken(rt, channel),
    );
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    log.warn('send.lookup_failed', { tenantId: conversation.tenantId, status: error.status, code: error.code ?? null });
    return { state: 'unknown' };
  }
  const text = message.text ?? '';
  const candidates = thread.filter((m) => m.fromId === channel.accountId && m.text === text);
  if (candidates.length === 0) return { state: 'not_accepted' };
  // Candidates are few (the same text from the account in one thread), so one point query each.
  const taken = new Set<string>();
  for (const candidate of candidates) {
    const owners = await messageRepository(rt).inConversation(conversation.tenantId, conversation.id, {
      mid: candidate.id,
      notId: message.id,
    });
    if (owners.length > 0) taken.add(candidate.id);
  }
  const found = findEarlierSend(candidates, {
    fromId: channel.accountId,
    text,
    notBefore: Date.parse(message.createdAt) - CLOCK_SLACK_MS,
    taken,
  });
  return found ? { state: 'accepted', mid: found.id } : { state: 'not_accepted' };
}
