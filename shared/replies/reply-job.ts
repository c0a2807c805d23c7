import { getTenant, type TenantDoc } from '../accounts/index.js';
import { answerBudget, claimReply, monthOf, recordUsage, thresholdsCrossed } from '../billing/index.js';
import { getChannel, openToken, sendingBlocked } from '../channels/index.js';
import { contactRepository } from '../contacts/index.js';
import {
  applyTransition,
  type ConversationDoc,
  conversationRepository,
  effectiveState,
  type MessageDoc,
  mayBotAnswer,
  messageRepository,
  publishMessage,
} from '../conversations/index.js';
import { enqueueEmail } from '../email/index.js';
import { loadIndex } from '../knowledge/index.js';
import { graphClient, outboundPart, sendPermission, splitForPlatform } from '../messaging/index.js';
import { stableId } from '../platform/ids.js';
import { log } from '../platform/log.js';
import { QUEUES, type QueueMessage, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { type ReplyResult, replyGeneratorOf } from './generator.js';
import { handoffMessage } from './handoff.js';
import { indexHours } from './knowledge-generator.js';
import { turnLanguage } from './language.js';

/** A reply job: answer everything up to this inbound message, once the burst wait is over. */
export type ReplyJob = QueueMessage<typeof QUEUES.replies>;

/** The automated-assistant disclosure (§13), in the conversation's language where we have it. */
export function disclosureText(language: string | undefined, business: string): string {
  return language?.startsWith('ro')
    ? `Bună! Sunt asistentul automat al ${business}.`
    : `Hi! I'm the automated assistant of ${business}.`;
}

const HISTORY_TURNS = 10;

/**
 * Runs after the burst wait. Answers all unanswered inbound messages up to the trigger, once: a
 * newer message has its own job; parts already written are re-sent rather than regenerated.
 */
export async function runReplyJob(rt: Runtime, job: ReplyJob): Promise<void> {
  const conversation = await conversationRepository(rt).get(job.tenantId, job.conversationId);
  if (!conversation) return;
  const lastInbound = conversation.lastInboundAt ? Date.parse(conversation.lastInboundAt) : 0;
  const superseded = lastInbound > job.triggerTimestamp || conversation.answeredThrough >= job.triggerTimestamp;
  if (superseded && !job.late) return;

  const replyId = stableId('rj', job.conversationId, job.triggerMessageId);
  const firstPart = await messageRepository(rt).get(job.tenantId, stableId('out', replyId, 0));
  if (firstPart) {
    await enqueueSend(rt, conversation, replyId, firstPart.outbound?.of ?? 1);
    await markAnswered(
      rt,
      conversation,
      job.triggerTimestamp,
      firstPart.lineage?.disclosure ? { createdAt: firstPart.createdAt } : undefined,
    );
    return;
  }

  const [tenant, inbound] = await Promise.all([getTenant(rt, job.tenantId), unanswered(rt, conversation, job)]);
  // A late message may have been in a burst already answered, if it was stored before that burst was read.
  if (job.late && inbound[0]?.answeredBy) return;
  if (!tenant || inbound.length === 0) return;
  const contact = await contactRepository(rt).get(job.tenantId, conversation.contactId);
  const now = rt.clock.now();
  const budget = await answerBudget(rt, tenant);
  const decision = mayBotAnswer({
    state: effectiveState(conversation, now),
    botEnabled: tenant.bot.enabled,
    entitled: budget.entitled,
    contactRestricted: Boolean(contact?.restrictedAt),
    windowOpen: sendPermission('bot', new Date(job.triggerTimestamp), now).allowed,
  });
  if (!decision.answer) {
    log.info('reply.skipped', { tenantId: tenant.id, conversationId: conversation.id, reason: decision.reason });
    return;
  }

  const channel = await getChannel(rt, tenant.id, conversation.channelId);
  if (sendingBlocked(channel)) {
    // Nothing could be sent, so nothing is generated (or counted against the quota).
    log.info('reply.skipped', {
      tenantId: tenant.id,
      conversationId: conversation.id,
      reason: 'channel_blocked_by_meta',
    });
    return;
  }
  if (channel?.status === 'connected') void typing(rt, channel, contact?.platformUserId);

  const answering = new Set(inbound.map((m) => m.id));
  const history = earlierTurns(
    await messageRepository(rt).inConversation(tenant.id, conversation.id, { upTo: now.getTime() }),
    conversation.answeredThrough,
  )
    .filter((m) => !answering.has(m.id))
    .slice(-HISTORY_TURNS);
  const quota = budget.quota;
  const burst = inbound.map((m) => m.text ?? '').join('\n');
  let result: ReplyResult = quota.exceeded
    ? await quotaHandoff(rt, tenant, burst, history, now)
    : await replyGeneratorOf(rt).generate({ tenant, conversation, contact, inbound, history }, rt);
  // The quota counts answers; a canned "You're welcome!" or greeting is none. The answer is counted in one
  // conditional write before it is stored, so replies made at the same time never pass the quota together.
  const answers = !result.handoff && result.lineage.generator !== 'knowledge-courtesy';
  const counted = answers ? await claimReply(rt, tenant.id, now, quota.limit) : undefined;
  if (answers && counted === undefined)
    result = { ...(await quotaHandoff(rt, tenant, burst, history, now)), usage: result.usage };
  const disclose = tenant.bot.aiDisclosure && !conversation.disclosureSentAt;
  const disclosure = disclose && disclosureText(result.lineage.language ?? contact?.locale, tenant.companyName);
  // After the disclosure's own greeting, a greeting back would say hello twice.
  const body = disclosure ? result.text.replace(/^(?:Hello|Bună)! /, '') : result.text;
  const text = disclosure ? `${disclosure} ${body}` : result.text;
  const parts = splitForPlatform(text, conversation.platform);
  const docs = parts.map((part, index) =>
    outboundPart(conversation, {
      id: stableId('out', replyId, index),
      text: part,
      index,
      of: parts.length,
      outboundId: replyId,
      author: 'bot',
      senderId: channel?.accountId ?? '',
      recipientId: contact?.platformUserId ?? '',
      at: now,
      lineage: { ...result.lineage, disclosure: disclose, ...(result.usage ? { usage: result.usage } : {}) },
    }),
  );
  // The first part decides which run of this job owns the reply.
  const giveBack = () => recordUsage(rt, tenant.id, now, { replies: -1 });
  let stored: boolean;
  try {
    stored = await messageRepository(rt).createOnce(tenant.id, docs[0] as MessageDoc);
  } catch (error) {
    // Nothing was stored, so the retry counts this reply again: this run's count is given back first. The store's
    // error is the one the retry needs, even when the give-back fails too.
    if (counted !== undefined)
      await giveBack().catch((giveBackError: unknown) => {
        log.warn('reply.count_not_given_back', { tenantId: tenant.id, error: giveBackError });
      });
    throw error;
  }
  if (!stored) {
    // Another run of this job stored its reply first and counted, sends and hands it over itself.
    if (counted !== undefined) await giveBack();
    log.info('reply.skipped', {
      tenantId: tenant.id,
      conversationId: conversation.id,
      reason: 'stored_by_another_run',
    });
    return;
  }
  void publishMessage(rt, docs[0] as MessageDoc);
  await recordUsage(rt, tenant.id, now, { handoffs: result.handoff ? 1 : 0, ...result.usage });
  if (counted !== undefined) await notifyUsage(rt, tenant, counted, quota.limit, now);
  for (const doc of docs.slice(1))
    if (await messageRepository(rt).createOnce(tenant.id, doc)) void publishMessage(rt, doc);
  await enqueueSend(rt, conversation, replyId, parts.length);
  if (result.handoff) {
    await applyTransition(rt, tenant.id, conversation.id, {
      type: 'handoff',
      reason: result.lineage.handoffReason ?? 'generator',
    }).catch((error: unknown) => {
      log.warn('reply.handoff_failed', { tenantId: tenant.id, error });
    });
    if (tenant.bot.notifyOnHandoff && tenant.owner) {
      await enqueueEmail(rt, {
        key: `handoff:${replyId}`,
        template: 'conversation_waiting',
        language: tenant.owner.preferredLanguage,
        to: tenant.owner.email,
        tenantId: tenant.id,
        data: {
          channel: conversation.platform === 'instagram' ? 'Instagram' : 'Messenger',
          reason: result.lineage.handoffReason ?? 'handoff',
        },
      });
    }
  }
  // Each message answered says so; deleted with it when it is taken back or erased, it leaves no trace here.
  for (const m of inbound)
    await messageRepository(rt).update(tenant.id, m.id, (c) =>
      c.answeredBy ? undefined : { ...c, answeredBy: replyId },
    );
  const marked = await markAnswered(
    rt,
    conversation,
    job.triggerTimestamp,
    disclose ? { createdAt: now.toISOString() } : undefined,
  );
  // Only a message stored since this job began can be one it left out.
  const arrived = !marked || (marked.inboundCount ?? 0) !== (conversation.inboundCount ?? 0);
  if (!job.late && arrived) await answerStragglers(rt, conversation, job, answering);
  log.info('reply.generated', {
    tenantId: tenant.id,
    conversationId: conversation.id,
    parts: parts.length,
    handoff: result.handoff,
    inbound: inbound.length,
  });
}

/**
 * The inbound messages a job answers: those since the last answered one, up to its trigger; for a late
 * delivery, the late message alone.
 */
async function unanswered(rt: Runtime, conversation: ConversationDoc, job: ReplyJob): Promise<MessageDoc[]> {
  if (job.late) {
    const late = await messageRepository(rt).get(job.tenantId, job.triggerMessageId);
    return late?.direction === 'in' && late.conversationId === conversation.id ? [late] : [];
  }
  return messageRepository(rt).inConversation(job.tenantId, job.conversationId, {
    direction: 'in',
    after: conversation.answeredThrough,
    upTo: job.triggerTimestamp,
  });
}

/**
 * Messages of this burst's span stored after the burst was read (an older message delivered late while the
 * reply was made): their own job saw the newer trigger and stood aside, so each gets a late job now.
 */
async function answerStragglers(
  rt: Runtime,
  conversation: ConversationDoc,
  job: ReplyJob,
  answered: Set<string>,
): Promise<void> {
  const span = await messageRepository(rt).inConversation(conversation.tenantId, conversation.id, {
    direction: 'in',
    after: conversation.answeredThrough,
    upTo: job.triggerTimestamp,
  });
  for (const m of span.filter((x) => !answered.has(x.id) && !x.answeredBy))
    await sendToQueue(rt.bus, QUEUES.replies, {
      tenantId: conversation.tenantId,
      conversationId: conversation.id,
      triggerTimestamp: m.timestamp,
      triggerMessageId: m.id,
      late: true,
    });
}

/**
 * Over the plan's monthly quota the bot hands off instead of answering, with the same language rule
 * and the same structured hours as every other reply, and says which language it used so the
 * disclosure before it matches.
 */
async function quotaHandoff(
  rt: Runtime,
  tenant: TenantDoc,
  burst: string,
  history: MessageDoc[],
  now: Date,
): Promise<ReplyResult> {
  const language = turnLanguage(burst, history, tenant.bot.languages);
  return {
    text: handoffMessage(language, now, tenant.bot, indexHours(await loadIndex(rt, tenant.id))),
    handoff: true,
    lineage: { generator: 'quota', passageIds: [], confidence: 0, handoffReason: 'quota_exceeded', language },
  };
}

/** Emails the owner once when this month's replies cross 80% and 100% of the quota. */
async function notifyUsage(rt: Runtime, tenant: TenantDoc, used: number, limit: number, now: Date): Promise<void> {
  if (!tenant.owner) return;
  for (const pct of thresholdsCrossed(used - 1, used, limit)) {
    await enqueueEmail(rt, {
      key: `usage-${pct}:${tenant.id}:${monthOf(now)}`,
      template: pct === 80 ? 'usage_80' : 'usage_100',
      language: tenant.owner.preferredLanguage,
      to: tenant.owner.email,
      tenantId: tenant.id,
      data: { company: tenant.companyName, used, limit },
    });
  }
}

async function typing(
  rt: Runtime,
  channel: NonNullable<Awaited<ReturnType<typeof getChannel>>>,
  userId: string | undefined,
): Promise<void> {
  if (!userId) return;
  try {
    await graphClient(rt.settings, 3000).senderAction(channel.sendAsId, openToken(rt, channel), userId, 'typing_on');
  } catch {
    // A typing indicator is a courtesy; never let it fail a reply.
  }
}

/** Enqueues the send job for all parts of one reply; the broker drops a repeat of it. */
export async function enqueueSend(
  rt: Runtime,
  conversation: ConversationDoc,
  replyId: string,
  parts: number,
): Promise<void> {
  const messageIds = Array.from({ length: parts }, (_, i) => stableId('out', replyId, i));
  await sendToQueue(rt.bus, QUEUES.outbound, {
    tenantId: conversation.tenantId,
    conversationId: conversation.id,
    messageIds,
    attempt: 0,
    replyId,
  });
}

/** Moves the conversation's answered mark on; the conversation as now stored, or undefined when it was already past. */
async function markAnswered(
  rt: Runtime,
  conversation: ConversationDoc,
  through: number,
  disclosure: { createdAt: string } | undefined,
): Promise<ConversationDoc | undefined> {
  return conversationRepository(rt).update(conversation.tenantId, conversation.id, (c) => {
    if (c.answeredThrough >= through) return undefined;
    return {
      ...c,
      answeredThrough: through,
      ...(disclosure && !c.disclosureSentAt ? { disclosureSentAt: disclosure.createdAt } : {}),
      updatedAt: rt.clock.now().toISOString(),
    };
  });
}

/**
 * Pure: the conversation before the burst being answered: the customer's answered messages and every
 * message sent to them, the last reply included (it went out after the turn it answered, so a cut at
 * that turn's time would leave it out, and with it the follow-up's focus and language).
 */
function earlierTurns<M extends { direction: string; timestamp: number }>(messages: M[], answeredThrough: number): M[] {
  return messages.filter((m) => m.direction === 'out' || m.timestamp <= answeredThrough);
}
