import { type ChannelDoc, flagReconnection, getChannel, openToken, sendingBlocked } from '../channels/channels.js';
import { effectiveState } from '../conversations/state.js';
import { log } from '../platform/log.js';
import { QUEUES, type QueueMessage, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { publishStatus } from '../realtime/publish.js';
import type { ConversationDoc, MessageDoc } from './documents.js';
import { METADATA_PREFIX } from './echoes.js';
import { graphClient } from './graph-client.js';
import { backoffMs, classifyGraphError, GraphError } from './graph-errors.js';
import { lookUpEarlierSend } from './send-confirmation.js';
import { getContact, getConversation, getMessage, updateWithRetry } from './store.js';
import { sendPermission } from './window.js';

/** A send job: the parts of one outbound reply, sent in order. */
export type SendJob = QueueMessage<typeof QUEUES.outbound>;

/** Attempts per part before it is marked failed. */
export const MAX_SEND_ATTEMPTS = 6;

type PartOutcome = 'done' | 'stop' | { retryAt: Date };

/**
 * Sends each part through the Graph Send API, exactly once where Meta lets us know.
 *
 * The record moves pending → sending → sent. A part stays in `sending` when its attempt ended without
 * a clear answer: a 5xx, a timeout or a crash between the call and its record, after any of which Meta
 * may have accepted the message. Its echo confirms it meanwhile (Messenger's by our metadata,
 * Instagram's by the in-flight text). Before the part is sent again, the Conversations API is asked
 * whether the message is in the thread; if so it is recorded as sent with Meta's mid and not resent.
 * Only when Meta cannot be asked do we fall back to waiting SEND_ECHO_WAIT_MS for the echo. What
 * remains possible: Meta accepted the call but neither shows it in the thread nor echoes it in that
 * time; the Send API has no idempotency key, so nothing here can rule that out.
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
        if (m && (m.status === 'pending' || m.status === 'sending'))
          await finish(r, m, 'cancelled', 'earlier_part_not_sent');
      }
    }
    if (outcome !== 'stop') {
      await sendToQueue(
        r.bus,
        QUEUES.outbound,
        { ...job, messageIds: job.messageIds.slice(index), attempt: job.attempt + 1 },
        { scheduledAt: outcome.retryAt },
      );
    }
    return;
  }
}

async function sendPart(
  r: Runtime,
  conversation: ConversationDoc,
  channel: ChannelDoc | undefined,
  id: string,
  attempt: number,
): Promise<PartOutcome> {
  const message = await getMessage(r, conversation.tenantId, id);
  if (!message || ['sent', 'delivered', 'read', 'failed', 'cancelled'].includes(message.status)) return 'done';
  const now = r.clock.now();
  if (message.status === 'sending') {
    const earlier = await lookUpEarlierSend(r, conversation, channel, message);
    if (earlier.state === 'accepted') {
      log.info('send.earlier_attempt_accepted', { tenantId: conversation.tenantId, conversationId: conversation.id });
      await recordSent(r, conversation, message, earlier.mid);
      return 'done';
    }
    if (earlier.state === 'unknown') {
      const startedAt = Date.parse(message.outbound?.lastAttemptAt ?? '0');
      const wait = r.settings.SEND_ECHO_WAIT_MS;
      if (now.getTime() - startedAt < wait) return { retryAt: new Date(startedAt + wait) };
      log.warn('send.echo_missing_resending', { tenantId: conversation.tenantId, conversationId: conversation.id });
    }
  }
  if (channel?.status !== 'connected') return finish(r, message, 'failed', `channel_${channel?.status ?? 'missing'}`);
  // Meta's policy block: a send would be refused and count against the Page, so none is tried.
  if (sendingBlocked(channel)) return finish(r, message, 'failed', 'channel_blocked_by_meta');
  if (message.author === 'bot' && effectiveState(conversation, now) !== 'bot')
    return finish(r, message, 'cancelled', 'conversation_not_in_bot_state');
  const permission = sendPermission(
    message.author === 'bot' ? 'bot' : 'human',
    conversation.lastInboundAt ? new Date(conversation.lastInboundAt) : undefined,
    now,
  );
  if (!permission.allowed) return finish(r, message, 'failed', permission.reason);
  const contact = await getContact(r, conversation.tenantId, conversation.contactId);
  if (!contact) return finish(r, message, 'failed', 'contact_missing');

  const claimed = await updateWithRetry<MessageDoc>(r.cosmos.container('messages'), id, conversation.tenantId, (m) => ({
    ...m,
    status: 'sending',
    outbound: {
      ...(m.outbound as NonNullable<MessageDoc['outbound']>),
      attempts: (m.outbound?.attempts ?? 0) + 1,
      lastAttemptAt: now.toISOString(),
      messagingType: permission.messagingType,
      ...(permission.tag ? { tag: permission.tag } : {}),
    },
    updatedAt: now.toISOString(),
  }));
  if (!claimed) return 'done';

  const graph = graphClient(r.settings, r.settings.META_SEND_TIMEOUT_MS);
  try {
    const answer = await graph.sendMessage(channel.sendAsId, openToken(r, channel), {
      recipient: { id: contact.platformUserId },
      messaging_type: permission.messagingType,
      ...(permission.tag ? { tag: permission.tag } : {}),
      message: { text: message.text ?? '', metadata: `${METADATA_PREFIX}${id}` },
    });
    await recordSent(r, conversation, message, answer.message_id);
    return 'done';
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    const failure = classifyGraphError(error);
    log.warn('send.failed', {
      tenantId: conversation.tenantId,
      status: error.status,
      code: error.code ?? null,
      subcode: error.subcode ?? null,
      failure,
    });
    if (failure === 'reauth') {
      await flagReconnection(r, channel, 'graph_190');
      return finish(r, message, 'failed', 'token_invalid');
    }
    if (failure === 'permanent') return finish(r, message, 'failed', `graph_${error.code ?? error.status}`);
    if ((claimed.outbound?.attempts ?? 1) >= MAX_SEND_ATTEMPTS) {
      // The last attempt may itself have been accepted: ask Meta before calling the part failed.
      const last = error.status >= 500 ? await lookUpEarlierSend(r, conversation, channel, claimed) : undefined;
      if (last?.state === 'accepted') {
        await recordSent(r, conversation, claimed, last.mid);
        return 'done';
      }
      return finish(r, message, 'failed', 'retries_exhausted');
    }
    // A 5xx or no answer at all (the client reports a timeout as 503) may follow acceptance: the part
    // stays in `sending`, so its echo can confirm it and the next attempt asks Meta first. A refusal
    // (rate limit) was not accepted; only a part still in flight goes back to pending.
    if (error.status < 500) {
      await updateWithRetry<MessageDoc>(r.cosmos.container('messages'), id, conversation.tenantId, (m) =>
        m.status === 'sending' ? { ...m, status: 'pending' } : undefined,
      );
    }
    return {
      retryAt: new Date(
        r.clock.now().getTime() +
          backoffMs(attempt + 1, failure, error.retryAfterMs, Math.random, r.settings.SEND_RETRY_BASE_MS),
      ),
    };
  }
}

async function recordSent(r: Runtime, conversation: ConversationDoc, message: MessageDoc, mid: string): Promise<void> {
  await updateWithRetry<MessageDoc>(r.cosmos.container('messages'), message.id, conversation.tenantId, (m) => ({
    ...m,
    mid,
    status: m.status === 'sending' || m.status === 'pending' ? 'sent' : m.status,
    outbound: {
      ...(m.outbound as NonNullable<MessageDoc['outbound']>),
      sentAt: m.outbound?.sentAt ?? r.clock.now().getTime(),
    },
    updatedAt: r.clock.now().toISOString(),
  }));
  await r.cosmos
    .container('conversations')
    .item(conversation.id, conversation.tenantId)
    .patch([{ op: 'set', path: '/lastOutboundAt', value: r.clock.now().toISOString() }]);
  log.info('send.sent', {
    tenantId: conversation.tenantId,
    conversationId: conversation.id,
    part: message.outbound?.part ?? 0,
  });
  void publishStatus(r, message, 'sent', r.clock.now());
}

async function finish(
  r: Runtime,
  message: MessageDoc,
  status: 'failed' | 'cancelled',
  reason: string,
): Promise<'stop' | 'done'> {
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
