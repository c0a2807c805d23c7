import type { z } from 'zod';
import { getTenant } from '../accounts/index.js';
import { isEntitled } from '../billing/index.js';
import { applyPolicyEnforcement, findRoute, getChannel, openToken } from '../channels/index.js';
import { type ContactDoc, contactIdOf, contactRepository } from '../contacts/index.js';
import {
  type AttachmentRef,
  type ConversationDoc,
  conversationIdOf,
  conversationRepository,
  effectiveState,
  insightsOnMessage,
  type MessageDoc,
  mayBotAnswer,
  messageIdOf,
  messageRepository,
  publishInbound,
} from '../conversations/index.js';
import { stableId } from '../platform/ids.js';
import { log } from '../platform/log.js';
import { QUEUES, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { findTombstone } from '../privacy/index.js';
import { copyAttachments } from './attachments.js';
import { handleEcho } from './echoes.js';
import { type MetaEvent, policyBodyOf } from './events.js';
import { graphClient } from './graph-client.js';
import type { Routed } from './routed.js';
import { applyDelivery, applyEdit, applyReaction, applyRead, deleteUnsent } from './status-events.js';
import { messageBodySchema, postbackSchema } from './webhook-schema.js';
import { sendPermission } from './window.js';

/** Handles one Meta event from the meta-events queue. Idempotent: a redelivery changes nothing twice. */
export async function ingestEvent(rt: Runtime, event: MetaEvent): Promise<void> {
  if (event.kind === 'change') {
    log.info('meta.change.ignored', { platform: event.platform, field: (event.item as { field?: string }).field });
    return;
  }
  const route = await findRoute(rt, event.platform, event.accountId);
  const channel = route && (await getChannel(rt, route.tenantId, route.channelId));
  const tenant = route && (await getTenant(rt, route.tenantId));
  if (!route || !channel || !tenant || channel.status === 'disconnected') {
    // Nothing about this person is stored: the account is not (or no longer) connected to a tenant.
    log.info('meta.unrouted', { platform: event.platform, kind: event.kind, reason: !route ? 'no_route' : 'inactive' });
    return;
  }
  if (event.kind === 'policy') {
    // About the account, not a person: applies even while the tenant is closed, so a reopened
    // account does not start sending into a block it never heard of.
    const policy = policyBodyOf(event.item);
    if (policy) await applyPolicyEnforcement(rt, channel, policy.action, event.timestamp);
    return;
  }
  if (tenant.status !== 'active' || !event.userId) {
    log.info('meta.unrouted', { platform: event.platform, kind: event.kind, reason: 'inactive' });
    return;
  }
  const routed: Routed = {
    rt,
    event,
    tenant,
    channel,
    userId: event.userId,
    conversationId: conversationIdOf(event.platform, event.accountId, event.userId),
    contactId: contactIdOf(event.platform, event.accountId, event.userId),
  };
  // An event queued before its sender, conversation or message was erased must not bring them back.
  if (await erasedSince(routed)) {
    log.info('meta.erased_subject_dropped', { tenantId: tenant.id, kind: event.kind });
    return;
  }
  const contact = await contactRepository(rt).get(tenant.id, routed.contactId);
  if (contact?.restrictedAt && event.kind !== 'unsend') {
    log.info('meta.restricted_contact', { tenantId: tenant.id, kind: event.kind });
    return;
  }
  switch (event.kind) {
    case 'message':
    case 'postback':
      return storeInbound(routed, contact);
    case 'echo':
      return handleEcho(routed);
    case 'unsend':
      return deleteUnsent(routed);
    case 'delivery':
      return applyDelivery(routed);
    case 'read':
      return applyRead(routed);
    case 'reaction':
      return applyReaction(routed);
    case 'edit':
      return applyEdit(routed);
    case 'referral':
    case 'handover':
    case 'optin':
      log.info('meta.event.acknowledged', { tenantId: tenant.id, kind: event.kind });
      return;
    default:
      log.info('meta.event.unknown', { tenantId: tenant.id, kind: event.kind });
  }
}

/** Whether the event is older than the erasure of its sender, its conversation or (sent or echoed) its message. */
async function erasedSince({ rt, event, contactId, conversationId }: Routed): Promise<boolean> {
  const mid =
    event.kind === 'message' || event.kind === 'echo'
      ? messageBodySchema.safeParse(event.item.message).data?.mid
      : undefined;
  const tombstones = await Promise.all([
    findTombstone(rt, 'contact', contactId),
    findTombstone(rt, 'conversation', conversationId),
    mid ? findTombstone(rt, 'message', messageIdOf(event.platform, mid)) : undefined,
  ]);
  return tombstones.some((t) => t && event.timestamp <= Date.parse(t.erasedAt));
}

async function ensureContact(routed: Routed, existing: ContactDoc | undefined): Promise<ContactDoc> {
  if (existing) return existing;
  const { rt, tenant, channel, event, userId, contactId } = routed;
  const now = rt.clock.now().toISOString();
  const contact: ContactDoc = {
    id: contactId,
    tenantId: tenant.id,
    type: 'contact',
    channelId: channel.id,
    platform: event.platform,
    platformUserId: userId,
    createdAt: now,
    updatedAt: now,
    profileFetchedAt: now,
  };
  try {
    const profile = await graphClient(rt.settings).profile(event.platform, userId, openToken(rt, channel));
    if (profile.name) contact.name = profile.name;
    if (profile.profilePicUrl) contact.profilePicUrl = profile.profilePicUrl;
    if (profile.locale) contact.locale = profile.locale;
  } catch (error) {
    // No profile is fine (no consent yet, phone-only account, outage); the message matters more.
    log.warn('meta.profile.unavailable', { tenantId: tenant.id, error });
  }
  await contactRepository(rt).createOnce(tenant.id, contact);
  return contact;
}

async function ensureConversation(routed: Routed): Promise<void> {
  const { rt, tenant, channel, event, conversationId, contactId } = routed;
  const now = rt.clock.now().toISOString();
  const conversation: ConversationDoc = {
    id: conversationId,
    tenantId: tenant.id,
    type: 'conversation',
    channelId: channel.id,
    contactId,
    platform: event.platform,
    state: 'bot',
    transitions: [],
    answeredThrough: 0,
    unread: 0,
    createdAt: now,
    updatedAt: now,
  };
  await conversationRepository(rt).createOnce(tenant.id, conversation);
}

function attachmentsOf(message: z.infer<typeof messageBodySchema>): AttachmentRef[] | undefined {
  if (!message.attachments?.length) return undefined;
  return message.attachments.map((a) => ({
    type: a.type,
    ...(a.payload?.url ? { url: a.payload.url } : {}),
    ...(a.payload?.sticker_id !== undefined ? { stickerId: String(a.payload.sticker_id) } : {}),
  }));
}

/** Builds our copy of an inbound message or postback. */
function inboundDoc(routed: Routed): MessageDoc {
  const { rt, event, tenant, channel, conversationId, contactId, userId } = routed;
  const now = rt.clock.now().toISOString();
  const base = {
    tenantId: tenant.id,
    type: 'message' as const,
    conversationId,
    contactId,
    channelId: channel.id,
    platform: event.platform,
    direction: 'in' as const,
    timestamp: event.timestamp,
    status: 'received' as const,
    senderId: userId,
    recipientId: event.accountId,
    createdAt: now,
    updatedAt: now,
  };
  if (event.kind === 'postback') {
    const postback = postbackSchema.parse(event.item.postback);
    const id = postback.mid
      ? messageIdOf(event.platform, postback.mid)
      : stableId('msg', event.platform, 'postback', userId, event.timestamp);
    return {
      ...base,
      id,
      ...(postback.mid ? { mid: postback.mid } : {}),
      text: postback.title,
      postback: { title: postback.title, payload: postback.payload },
    };
  }
  const message = messageBodySchema.parse(event.item.message);
  return {
    ...base,
    id: messageIdOf(event.platform, message.mid),
    mid: message.mid,
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(attachmentsOf(message) ? { attachments: attachmentsOf(message) } : {}),
    ...(message.reply_to?.mid ? { replyToMid: message.reply_to.mid } : {}),
    ...(message.quick_reply ? { quickReplyPayload: message.quick_reply.payload } : {}),
  };
}

/** Stores an inbound message, updates the conversation, and schedules the (burst-delayed) reply. */
async function storeInbound(received: Routed, existingContact: ContactDoc | undefined): Promise<void> {
  // A message is never from the future: a skewed timestamp would hold back the answer to every later one.
  const clamped = Math.min(received.event.timestamp, received.rt.clock.now().getTime());
  const routed = { ...received, event: { ...received.event, timestamp: clamped } };
  const { rt, tenant, event, conversationId } = routed;
  const contact = await ensureContact(routed, existingContact);
  await ensureConversation(routed);
  const doc = inboundDoc(routed);
  const isNew = await messageRepository(rt).createOnce(tenant.id, doc);
  // A repeated delivery keeps the time its first one was stored with: clamped again, a future time would move on.
  const timestamp = isNew
    ? doc.timestamp
    : ((await messageRepository(rt).get(tenant.id, doc.id))?.timestamp ?? doc.timestamp);
  await insightsOnMessage(rt, doc);
  if (isNew && doc.attachments?.length) await copyAttachments(rt, doc);

  const conversation = await conversationRepository(rt).update(tenant.id, conversationId, (c) => {
    const lastInbound = c.lastInboundAt ? Date.parse(c.lastInboundAt) : 0;
    if (!isNew && lastInbound >= timestamp) return undefined;
    return {
      ...c,
      lastInboundAt: new Date(Math.max(lastInbound, timestamp)).toISOString(),
      unread: c.unread + (isNew ? 1 : 0),
      inboundCount: (c.inboundCount ?? c.unread) + (isNew ? 1 : 0),
      ...(c.resolvedAt ? { resolvedAt: undefined } : {}),
      updatedAt: rt.clock.now().toISOString(),
    };
  });
  if (!conversation) return;
  log.info('meta.message.stored', {
    tenantId: tenant.id,
    conversationId,
    duplicate: !isNew,
    attachments: doc.attachments?.length ?? 0,
  });
  // Not awaited: the session's next message must not wait on the live inbox (best-effort, never throws).
  if (isNew) void publishInbound(rt, doc, conversation);
  // Standby traffic belongs to another app's thread; never answer it.
  if (event.source !== 'messaging') return;
  // A message delivered after a later one was answered (a retried delivery) is answered on its own; the reply
  // job makes sure it is answered once, whichever job gets to it.
  const late = timestamp <= conversation.answeredThrough;
  if (late && !isNew) return;

  const now = rt.clock.now();
  const decision = mayBotAnswer({
    state: effectiveState(conversation, now),
    botEnabled: tenant.bot.enabled,
    entitled: await isEntitled(rt, tenant),
    contactRestricted: Boolean(contact.restrictedAt),
    windowOpen: sendPermission('bot', new Date(timestamp), now).allowed,
  });
  if (!decision.answer) {
    log.info('reply.skipped', { tenantId: tenant.id, conversationId, reason: decision.reason });
    return;
  }
  await sendToQueue(
    rt.bus,
    QUEUES.replies,
    {
      tenantId: tenant.id,
      conversationId,
      triggerTimestamp: timestamp,
      triggerMessageId: doc.id,
      ...(late ? { late: true } : {}),
    },
    tenant.bot.burstWaitMs > 0 && !late ? { scheduledAt: new Date(now.getTime() + tenant.bot.burstWaitMs) } : {},
  );
}
