import { z } from 'zod';
import { type ChannelDoc, flagReconnection, getChannel, openToken } from '../channels/channels.js';
import { effectiveState } from '../conversations/state.js';
import { log } from '../platform/log.js';
import { QUEUES } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import type { ConversationDoc, MessageDoc } from './documents.js';
import { publishStatus } from '../realtime/publish.js';
import { METADATA_PREFIX } from './echoes.js';
import { graphClient } from './graph-client.js';
import { backoffMs, classifyGraphError, GraphError } from './graph-errors.js';
import { getContact, getConversation, getMessage, updateWithRetry } from './store.js';
import { sendPermission } from './window.js';

/** A send job: the parts of one outbound reply, sent in order. */
export const sendJobSchema = z.object({
  tenantId: z.string().min(1),
  conversationId: z.string().min(1),
  messageIds: z.array(z.string().min(1)).min(1),
  attempt: z.number().int().min(0),
});
export type SendJob = z.infer<typeof sendJobSchema>;

/** Attempts per part before it is marked failed. */
export const MAX_SEND_ATTEMPTS = 6;

type PartOutcome = 'done' | 'stop' | { retryAt: Date };

/**
 * Sends each part through the Graph Send API, exactly once where Meta lets us know.
 *
 * The record moves pending → sending → sent. A part found in `sending` was interrupted between the
 * call and its record: we wait up to SEND_ECHO_WAIT_MS for Meta's echo (which carries our metadata and
 * marks it sent) before sending again. What remains possible: if Meta accepted the call but the echo
 * never reaches us within that wait (echoes disabled, webhooks down for longer), the part is sent a
 * second time. Nothing here can make that impossible, because the Send API has no idempotency key.
 */
export async function runSendJob(r: Runtime, job: SendJob): Promise<void> {
  const conversation = await getConversation(r, job.tenantId, job.conversationId);
  if (!conversation) return;
  const channel = await getChannel(r, job.tenantId, conversation.channelId);
  for (const [index, id] of job.messageIds.entries()) {
    const outcome = await sendPart(r, conversation, channel, id, job.attempt);
    if (outcome === 'done') continue;
    if (outcome === 'stop') {
      for (const rest of job.messageIds.slice(index + 1)) {
        const m = await getMessage(r, job.tenantId, rest);
        if (m && (m.status === 'pending' || m.status === 'sending')) await finish(r, m, 'cancelled', 'earlier_part_not_sent');
      }
    }
    if (outcome !== 'stop') {
      await r.bus.send(QUEUES.outbound.name, {
        body: { ...job, messageIds: job.messageIds.slice(index), attempt: job.attempt + 1 },
        messageId: `send:${id}:retry:${job.attempt + 1}`,
        sessionId: conversation.id,
        scheduledAt: outcome.retryAt,
      });
    }
    return;
  }
}

async function sendPart(r: Runtime, conversation: ConversationDoc, channel: ChannelDoc | undefined, id: string, attempt: number): Promise<PartOutcome> {
  const message = await getMessage(r, conversation.tenantId, id);
  if (!message || ['sent', 'delivered', 'read', 'failed', 'cancelled'].includes(message.status)) return 'done';
  const now = r.clock.now();
  if (message.status === 'sending') {
    const startedAt = Date.parse(message.outbound?.lastAttemptAt ?? '0');
    const wait = r.settings.SEND_ECHO_WAIT_MS;
    if (now.getTime() - startedAt < wait) return { retryAt: new Date(startedAt + wait) };
    log.warn('send.echo_missing_resending', { tenantId: conversation.tenantId, conversationId: conversation.id });
  }
  if (channel?.status !== 'connected') return finish(r, message, 'failed', `channel_${channel?.status ?? 'missing'}`);
  if (message.author === 'bot' && effectiveState(conversation, now) !== 'bot') return finish(r, message, 'cancelled', 'conversation_not_in_bot_state');
  const permission = sendPermission(message.author === 'bot' ? 'bot' : 'human', conversation.lastInboundAt ? new Date(conversation.lastInboundAt) : undefined, now);
  if (!permission.allowed) return finish(r, message, 'failed', permission.reason);
  const contact = await getContact(r, conversation.tenantId, conversation.contactId);
  if (!contact) return finish(r, message, 'failed', 'contact_missing');

  const claimed = await updateWithRetry<MessageDoc>(r.cosmos.container('messages'), id, conversation.tenantId, (m) => ({
    ...m,
    status: 'sending',
    outbound: { ...(m.outbound as NonNullable<MessageDoc['outbound']>), attempts: (m.outbound?.attempts ?? 0) + 1, lastAttemptAt: now.toISOString(), messagingType: permission.messagingType, ...(permission.tag ? { tag: permission.tag } : {}) },
    updatedAt: now.toISOString(),
  }));
  if (!claimed) return 'done';

  const graph = graphClient(r.settings);
  try {
    const answer = await graph.sendMessage(channel.sendAsId, openToken(r, channel), {
      recipient: { id: contact.platformUserId },
      messaging_type: permission.messagingType,
      ...(permission.tag ? { tag: permission.tag } : {}),
      message: { text: message.text ?? '', metadata: `${METADATA_PREFIX}${id}` },
    });
    await updateWithRetry<MessageDoc>(r.cosmos.container('messages'), id, conversation.tenantId, (m) => ({
      ...m,
      mid: answer.message_id,
      status: m.status === 'sending' || m.status === 'pending' ? 'sent' : m.status,
      outbound: { ...(m.outbound as NonNullable<MessageDoc['outbound']>), sentAt: m.outbound?.sentAt ?? r.clock.now().getTime() },
      updatedAt: r.clock.now().toISOString(),
    }));
    await r.cosmos
      .container('conversations')
      .item(conversation.id, conversation.tenantId)
      .patch([{ op: 'set', path: '/lastOutboundAt', value: r.clock.now().toISOString() }]);
    log.info('send.sent', { tenantId: conversation.tenantId, conversationId: conversation.id, part: message.outbound?.part ?? 0 });
    void publishStatus(r, message, 'sent', r.clock.now());
    return 'done';
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    const failure = classifyGraphError(error);
    log.warn('send.failed', { tenantId: conversation.tenantId, status: error.status, code: error.code ?? null, subcode: error.subcode ?? null, failure });
    if (failure === 'reauth') {
      await flagReconnection(r, channel, 'graph_190');
      return finish(r, message, 'failed', 'token_invalid');
    }
    if (failure === 'permanent') return finish(r, message, 'failed', `graph_${error.code ?? error.status}`);
    if ((claimed.outbound?.attempts ?? 1) >= MAX_SEND_ATTEMPTS) return finish(r, message, 'failed', 'retries_exhausted');
    // Only a part still in flight goes back to pending: an echo may already have confirmed it.
    await updateWithRetry<MessageDoc>(r.cosmos.container('messages'), id, conversation.tenantId, (m) => (m.status === 'sending' ? { ...m, status: 'pending' } : undefined));
    return { retryAt: new Date(r.clock.now().getTime() + backoffMs(attempt + 1, failure, error.retryAfterMs, Math.random, r.settings.SEND_RETRY_BASE_MS)) };
  }
}

async function finish(r: Runtime, message: MessageDoc, status: 'failed' | 'cancelled', reason: string): Promise<'stop' | 'done'> {
  await updateWithRetry<MessageDoc>(r.cosmos.container('messages'), message.id, message.tenantId, (m) => ({
    ...m,
    status,
    outbound: { ...(m.outbound as NonNullable<MessageDoc['outbound']>), failure: reason },
    updatedAt: r.clock.now().toISOString(),
  }));
  log.info('send.finished', { tenantId: message.tenantId, status, reason });
  void publishStatus(r, message, status, r.clock.now());
  // A cancelled bot part cancels the rest of that reply too; a failed one stops the job.
  return 'stop';
}
