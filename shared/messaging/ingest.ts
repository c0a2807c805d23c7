import type { z } from 'zod';
import { getTenant, type TenantDoc } from '../accounts/tenants.js';
import { isEntitled } from '../billing/entitled.js';
import { type ChannelDoc, findRoute, getChannel, openToken } from '../channels/channels.js';
import { applyPolicyEnforcement } from '../channels/policy-enforcement.js';
import { effectiveState, mayBotAnswer, transition } from '../conversations/state.js';
import { insightsOnMessage, insightsOnTransition } from '../insights/hooks.js';
import { log } from '../platform/log.js';
import { QUEUES, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { findTombstone } from '../privacy/tombstones.js';
import { publishInbound, publishState } from '../realtime/publish.js';
import { copyAttachments } from './attachments.js';
import type { AttachmentRef, ContactDoc, ConversationDoc, MessageDoc } from './documents.js';
import { handleEcho } from './echoes.js';
import { type MetaEvent, policyBodyOf } from './events.js';
import { graphClient } from './graph-client.js';
import { contactIdOf, conversationIdOf, messageIdOf, stableId } from './ids.js';
import { applyDelivery, applyEdit, applyReaction, applyRead, deleteUnsent } from './status-events.js';
import { createOnce, getContact, updateWithRetry } from './store.js';
import { messageBodySchema, postbackSchema } from './webhook-schema.js';
import { sendPermission } from './window.js';

/** Everything an event handler needs once the event is routed to a tenant's channel. */
export interface Routed {
  r: Runtime;
  event: MetaEvent;
  tenant: TenantDoc;
  channel: ChannelDoc;
  userId: string;
  conversationId: string;
  contactId: string;
}

/** Handles one Meta event from the meta-events queue. Idempotent: a redelivery changes nothing twice. */
export async function ingestEvent(r: Runtime, event: MetaEvent): Promise<void> {
  if (event.kind === 'change') {
    log.info('meta.change.ignored', { platform: event.platform, field: (event.item as { field?: string }).field });
    return;
  }
  const route = await findRoute(r, event.platform, event.accountId);
  const channel = route && (await getChannel(r, route.tenantId, route.channelId));
  const tenant = route && (await getTenant(r, route.tenantId));
  if (!route || !channel || !tenant || channel.status === 'disconnected') {
    // Nothing about this person is stored: the account is not (or no longer) connected to a tenant.
    log.info('meta.unrouted', { platform: event.platform, kind: event.kind, reason: !route ? 'no_route' : 'inactive' });
    return;
  }
  if (event.kind === 'policy') {
    // About the account, not a person: applies even while the tenant is closed, so a reopened
    // account does not start sending into a block it never heard of.
    const policy = policyBodyOf(event.item);
    if (policy) await applyPolicyEnforcement(r, channel, policy.action, event.timestamp);
    return;
  }
  if (tenant.status !== 'active' || !event.userId) {
    log.info('meta.unrouted', { platform: event.platform, kind: event.kind, reason: 'inactive' });
    return;
  }
  const routed: Routed = {
    r,
    event,
    tenant,
    channel,
    userId: event.userId,
    conversationId: conversationIdOf(event.platform, event.accountId, event.userId),
    contactId: contactIdOf(event.platform, event.accountId, event.userId),
  };
  // A message queued before its sender was erased must not bring them back.
  const tombstone = await findTombstone(r, 'contact', routed.contactId);
  if (tombstone && event.timestamp <= Date.parse(tombstone.erasedAt)) {
    log.info('meta.erased_subject_dropped', { tenantId: tenant.id, kind: event.kind });
    return;
  }
  const contact = await getContact(r, tenant.id, routed.contactId);
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

async function ensureContact(routed: Routed, existing: ContactDoc | undefined): Promise<ContactDoc> {
  if (existing) return existing;
  const { r, tenant, channel, event, userId, contactId } = routed;
  const now = r.clock.now().toISOString();
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
    const profile = await graphClient(r.settings).profile(event.platform, userId, openToken(r, channel));
    if (profile.name) contact.name = profile.name;
    if (profile.profilePicUrl) contact.profilePicUrl = profile.profilePicUrl;
    if (profile.locale) contact.locale = profile.locale;
  } catch (error) {
    // No profile is fine (no consent yet, phone-only account, outage); the message matters more.
    log.warn('meta.profile.unavailable', { tenantId: tenant.id, error });
  }
  await createOnce(r.cosmos.container('contacts'), contact);
  return contact;
}

async function ensureConversation(routed: Routed): Promise<void> {
  const { r, tenant, channel, event, conversationId, contactId } = routed;
  const now = r.clock.now().toISOString();
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
  await createOnce(r.cosmos.container('conversations'), conversation);
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
  const { r, event, tenant, channel, conversationId, contactId, userId } = routed;
  const now = r.clock.now().toISOString();
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
async function storeInbound(routed: Routed, existingContact: ContactDoc | undefined): Promise<void> {
  const { r, tenant, event, conversationId } = routed;
  const contact = await ensureContact(routed, existingContact);
  await ensureConversation(routed);
  const doc = inboundDoc(routed);
  const isNew = await createOnce(r.cosmos.container('messages'), doc);
  await insightsOnMessage(r, doc);
  if (isNew && doc.attachments?.length) await copyAttachments(r, doc);

  const conversation = await updateWithRetry<ConversationDoc>(
    r.cosmos.container('conversations'),
    conversationId,
    tenant.id,
    (c) => {
      const lastInbound = c.lastInboundAt ? Date.parse(c.lastInboundAt) : 0;
      if (!isNew && lastInbound >= event.timestamp) return undefined;
      return {
        ...c,
        lastInboundAt: new Date(Math.max(lastInbound, event.timestamp)).toISOString(),
        unread: c.unread + (isNew ? 1 : 0),
        inboundCount: (c.inboundCount ?? c.unread) + (isNew ? 1 : 0),
        ...(c.resolvedAt ? { resolvedAt: undefined } : {}),
        updatedAt: r.clock.now().toISOString(),
      };
    },
  );
  if (!conversation) return;
  log.info('meta.message.stored', {
    tenantId: tenant.id,
    conversationId,
    duplicate: !isNew,
    attachments: doc.attachments?.length ?? 0,
  });
  // Not awaited: the session's next message must not wait on the live inbox (best-effort, never throws).
  if (isNew) void publishInbound(r, doc, conversation);
  // Standby traffic belongs to another app's thread; never answer it.
  if (event.source !== 'messaging' || event.timestamp <= conversation.answeredThrough) return;

  const now = r.clock.now();
  const decision = mayBotAnswer({
    state: effectiveState(conversation, now),
    botEnabled: tenant.bot.enabled,
    entitled: await isEntitled(r, tenant),
    contactRestricted: Boolean(contact.restrictedAt),
    windowOpen: sendPermission('bot', new Date(event.timestamp), now).allowed,
  });
  if (!decision.answer) {
    log.info('reply.skipped', { tenantId: tenant.id, conversationId, reason: decision.reason });
    return;
  }
  await sendToQueue(
    r.bus,
    QUEUES.replies,
    { tenantId: tenant.id, conversationId, triggerTimestamp: event.timestamp, triggerMessageId: doc.id },
    tenant.bot.burstWaitMs > 0 ? { scheduledAt: new Date(now.getTime() + tenant.bot.burstWaitMs) } : {},
  );
}

/** Records a transition on a conversation (pure rule, persisted with an etag). */
export async function applyTransition(
  r: Runtime,
  tenantId: string,
  conversationId: string,
  event: Parameters<typeof transition>[1],
): Promise<ConversationDoc | undefined> {
  const saved = await updateWithRetry<ConversationDoc>(
    r.cosmos.container('conversations'),
    conversationId,
    tenantId,
    (c) => {
      const { next, record } = transition(c, event, r.clock.now());
      return {
        ...c,
        state: next.state,
        pausedUntil: next.pausedUntil,
        resolvedAt: next.resolvedAt ?? c.resolvedAt,
        transitions: [...c.transitions, record],
        updatedAt: record.at,
      };
    },
  );
  const record = saved?.transitions.at(-1);
  if (saved && record) void publishState(r, saved, record);
  await insightsOnTransition(r, saved);
  return saved;
}
