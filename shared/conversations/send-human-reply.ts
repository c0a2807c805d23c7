import { randomUUID } from 'node:crypto';
import { outboundPart, sendPermission, splitForPlatform } from '../messaging/index.js';
import { ConflictError, InvalidInputError, WindowClosedError } from '../platform/domain-errors.js';
import type { ConversationDeps } from './conversation-deps.js';
import type { MessageDoc } from './documents.js';
import { findConversation } from './find-conversation.js';
import { effectiveState } from './state.js';
import { recordTransition } from './transitions.js';

export interface HumanReply {
  tenantId: string;
  conversationId: string;
  actor: { sub: string; role: string };
  ip?: string;
  text: string;
  /** Take the conversation over from the bot first. */
  takeover: boolean;
  /** The newest customer message the person saw when they wrote: it and those before it are answered by this reply. */
  inReplyTo?: string | undefined;
}

/**
 * Without `inReplyTo`, a message that came in this shortly before the reply is taken as unseen: the bot still answers
 * it. Earlier ones are answered by the person, so a reply job still in its burst wait does not answer them again.
 */
export const UNSEEN_MS = 10_000;

/**
 * A person's reply: checked against restriction and Meta's window, split into parts the platform
 * accepts, stored as pending and queued for the send job. Returns the parts.
 */
export async function sendHumanReply(deps: ConversationDeps, reply: HumanReply): Promise<MessageDoc[]> {
  const { tenantId, actor, ip } = reply;
  const conversation = await findConversation(deps.conversations, tenantId, reply.conversationId);
  const now = deps.clock.now();
  if (effectiveState(conversation, now) === 'restricted')
    throw new ConflictError('Processing is restricted for this contact.');
  const permission = sendPermission(
    'human',
    conversation.lastInboundAt ? new Date(conversation.lastInboundAt) : undefined,
    now,
  );
  if (!permission.allowed)
    throw new WindowClosedError(
      permission.reason === 'human_agent_window_closed'
        ? 'More than 7 days have passed since the customer last wrote; Meta allows no reply until they write again.'
        : 'The customer has not written in this conversation.',
    );
  // Read before anything is written, so a wrong id leaves nothing half done.
  const seen = reply.inReplyTo === undefined ? now.getTime() - UNSEEN_MS : await seenThrough(deps, reply);
  // A person answering means the bot should stop, unless they say otherwise.
  if (reply.takeover && effectiveState(conversation, now) !== 'human') {
    await recordTransition(deps, tenantId, conversation.id, { type: 'takeover', by: actor.sub });
    await deps.audit({
      tenantId,
      action: 'conversation.takeover',
      actor,
      ip,
      target: { type: 'conversation', id: conversation.id },
    });
  }
  const contact = await deps.contacts.get(tenantId, conversation.contactId);
  const replyId = `hr_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const parts = splitForPlatform(reply.text, conversation.platform);
  const docs = parts.map((text, index) =>
    outboundPart(conversation, {
      id: `${replyId}_${index}`,
      text,
      index,
      of: parts.length,
      outboundId: replyId,
      author: 'human',
      senderId: actor.sub,
      recipientId: contact?.platformUserId ?? '',
      at: now,
    }),
  );
  for (const doc of docs) if (await deps.messages.createOnce(tenantId, doc)) await deps.messageCreated(doc);
  await deps.conversations.update(tenantId, conversation.id, (c) => {
    const through = Math.min(c.lastInboundAt ? Date.parse(c.lastInboundAt) : 0, seen);
    return c.answeredThrough >= through ? undefined : { ...c, answeredThrough: through, updatedAt: now.toISOString() };
  });
  await deps.enqueueSend({
    tenantId,
    conversationId: conversation.id,
    messageIds: docs.map((d) => d.id),
    attempt: 0,
    replyId,
  });
  await deps.audit({
    tenantId,
    action: 'conversation.reply',
    actor,
    ip,
    target: { type: 'conversation', id: conversation.id },
    details: { parts: docs.length },
  });
  return docs;
}

/** The time of the message the person replied to, which must be one the customer sent in this conversation. */
async function seenThrough(deps: ConversationDeps, reply: HumanReply): Promise<number> {
  const seen = await deps.messages.get(reply.tenantId, reply.inReplyTo as string);
  if (seen?.conversationId !== reply.conversationId || seen.direction !== 'in')
    throw new InvalidInputError('inReplyTo must name a message the customer sent in this conversation.', [
      { field: 'inReplyTo', message: 'must be a message the customer sent in this conversation' },
    ]);
  return seen.timestamp;
}
