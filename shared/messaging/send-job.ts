import { type ChannelDoc, flagReconnection, getChannel, openToken, sendingBlocked } from '../channels/index.js';
import { contactRepository } from '../contacts/index.js';
import {
  type ConversationDoc,
  conversationRepository,
  effectiveState,
  insightsAfterSend,
  type MessageDoc,
  messageRepository,
  publishStatus,
} from '../conversations/index.js';
import { log } from '../platform/log.js';
import { QUEUES, type QueueMessage, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { METADATA_PREFIX } from './echoes.js';
import { graphClient } from './graph-client.js';
import { backoffMs, classifyGraphError, GraphError } from './graph-errors.js';
import { lookUpEarlierSend } from './send-confirmation.js';
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
export async function runSendJob(rt: Runtime, job: SendJob): Promise<void> {
  await sendParts(rt, job);
  // Each attempt reports what it got out, so the insights figures count sends as they happen.
  await insightsAfterSend(rt, job);
}

async function sendParts(rt: Runtime, job: SendJob): Promise<void> {
  const conversation = await conversationRepository(rt).get(job.tenantId, job.conversationId);
  if (!conversation) return;
  const channel = await getChannel(rt, job.tenantId, conversation.channelId);
  for (const [index, id] of job.messageIds.entries()) {
    const outcome = await sendPart(rt, conversation, channel, id, job.attempt);
    if (outcome === 'done') continue;
    if (outcome === 'stop') {
      for (const rest of job.messageIds.slice(index + 1)) {
        const m = await messageRepository(rt).get(job.tenantId, rest);
        if (m && (m.status === 'pending' || m.status === 'sending'))
          await finish(rt, m, 'cancelled', 'earlier_part_not_sent');
      }
    }
    if (outcome !== 'stop') {
      await sendToQueue(
        rt.bus,
        QUEUES.outbound,
        { ...job, messageIds: job.messageIds.slice(index), attempt: job.attempt + 1 },
        { scheduledAt: outcome.retryAt },
      );
    }
    return;
  }
}

async function sendPart(
  rt: Runtime,
  conversation: ConversationDoc,
  channel: ChannelDoc | undefined,
  id: string,
  attempt: number,
): Promise<PartOutcome> {
  const message = await messageRepository(rt).get(conversation.tenantId, id);
  if (!message || ['sent', 'delivered', 'read', 'failed', 'cancelled'].includes(message.status)) return 'done';
  const now = rt.clock.now();
  if (message.status === 'sending') {
    const earlier = await lookUpEarlierSend(rt, conversation, channel, message);
    if (earlier.state === 'accepted') {
      log.info('send.earlier_attempt_accepted', { tenantId: conversation.tenantId, conversationId: conversation.id });
      await recordSent(rt, conversation, message, earlier.mid);
      return 'done';
    }
    if (earlier.state === 'unknown') {
      const startedAt = Date.parse(message.outbound?.lastAttemptAt ?? '0');
      const wait = rt.settings.SEND_ECHO_WAIT_MS;
      if (now.getTime() - startedAt < wait) return { retryAt: new Date(startedAt + wait) };
      log.warn('send.echo_missing_resending', { tenantId: conversation.tenantId, conversationId: conversation.id });
    }
  }
  if (channel?.status !== 'connected') return finish(rt, message, 'failed', `channel_${channel?.status ?? 'missing'}`);
  // Meta's policy block: a send would be refused and count against the Page, so none is tried.
  if (sendingBlocked(channel)) return finish(rt, message, 'failed', 'channel_blocked_by_meta');
  if (message.author === 'bot' && effectiveState(conversation, now) !== 'bot')
    return finish(rt, message, 'cancelled', 'conversation_not_in_bot_state');
  const permission = sendPermission(
    message.author === 'bot' ? 'bot' : 'human',
    conversation.lastInboundAt ? new Date(conversation.lastInboundAt) : undefined,
    now,
  );
  if (!permission.allowed) return finish(rt, message, 'failed', permission.reason);
  const contact = await contactRepository(rt).get(conversation.tenantId, conversation.contactId);
  if (!contact) return finish(rt, message, 'failed', 'contact_missing');

  const claimed = await messageRepository(rt).update(conversation.tenantId, id, (m) => ({
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

  const graph = graphClient(rt.settings, rt.settings.META_SEND_TIMEOUT_MS);
  try {
    const answer = await graph.sendMessage(channel.sendAsId, openToken(rt, channel), {
      recipient: { id: contact.platformUserId },
      messaging_type: permission.messagingType,
      ...(permission.tag ? { tag: permission.tag } : {}),
      message: { text: message.text ?? '', metadata: `${METADATA_PREFIX}${id}` },
    });
    await recordSent(rt, conversation, message, answer.message_id);
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
      await flagReconnection(rt, channel, 'graph_190');
      return finish(rt, message, 'failed', 'token_invalid');
    }
    if (failure === 'permanent') return finish(rt, message, 'failed', `graph_${error.code ?? error.status}`);
    if ((claimed.outbound?.attempts ?? 1) >= MAX_SEND_ATTEMPTS) {
      // The last attempt may itself have been accepted: ask Meta before calling the part failed.
      const last = error.status >= 500 ? await lookUpEarlierSend(rt, conversation, channel, claimed) : undefined;
      if (last?.state === 'accepted') {
        await recordSent(rt, conversation, claimed, last.mid);
        return 'done';
      }
      return finish(rt, message, 'failed', 'retries_exhausted');
    }
    // A 5xx or no answer at all (the client reports a timeout as 503) may follow acceptance: the part
    // stays in `sending`, so its echo can confirm it and the next attempt asks Meta first. A refusal
    // (rate limit) was not accepted; only a part still in flight goes back to pending.
    if (error.status < 500) {
      await messageRepository(rt).update(conversation.tenantId, id, (m) =>
        m.status === 'sending' ? { ...m, status: 'pending' } : undefined,
      );
    }
    return {
      retryAt: new Date(
        rt.clock.now().getTime() +
          backoffMs(attempt + 1, failure, error.retryAfterMs, Math.random, rt.settings.SEND_RETRY_BASE_MS),
      ),
    };
  }
}

async function recordSent(rt: Runtime, conversation: ConversationDoc, message: MessageDoc, mid: string): Promise<void> {
  await messageRepository(rt).update(conversation.tenantId, message.id, (m) => ({
    ...m,
    mid,
    status: m.status === 'sending' || m.status === 'pending' ? 'sent' : m.status,
    outbound: {
      ...(m.outbound as NonNullable<MessageDoc['outbound']>),
      sentAt: m.outbound?.sentAt ?? rt.clock.now().getTime(),
    },
    updatedAt: rt.clock.now().toISOString(),
  }));
  await conversationRepository(rt).setLastOutboundAt(
    conversation.tenantId,
    conversation.id,
    rt.clock.now().toISOString(),
  );
  log.info('send.sent', {
    tenantId: conversation.tenantId,
    conversationId: conversation.id,
    part: message.outbound?.part ?? 0,
  });
  void publishStatus(rt, message, 'sent', rt.clock.now());
}

async function finish(
  rt: Runtime,
  message: MessageDoc,
  status: 'failed' | 'cancelled',
  reason: string,
): Promise<'stop' | 'done'> {
  await messageRepository(rt).update(message.tenantId, message.id, (m) => ({
    ...m,
    status,
    outbound: { ...(m.outbound as NonNullable<MessageDoc['outbound']>), failure: reason },
    updatedAt: rt.clock.now().toISOString(),
  }));
  log.info('send.finished', { tenantId: message.tenantId, status, reason });
  void publishStatus(rt, message, status, rt.clock.now());
  // A cancelled bot part cancels the rest of that reply too; a failed one stops the job.
  return 'stop';
}
