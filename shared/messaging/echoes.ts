import {
  applyTransition,
  conversationRepository,
  type MessageDoc,
  messageIdOf,
  messageRepository,
  publishMessage,
} from '../conversations/index.js';
import { log } from '../platform/log.js';
import type { Routed } from './routed.js';
import { messageBodySchema } from './webhook-schema.js';

/** The metadata we put on every send, so its echo names our record. */
export const METADATA_PREFIX = 'aliat:';

/** How long an echo may lag our send before we call a text match ours, not a person's. */
const ECHO_MATCH_WINDOW_MS = 5 * 60_000;

/**
 * An echo is a message the account sent. Ours (matched by metadata, mid, app id, or an in-flight
 * send with the same text) confirms a send. Anyone else's means a person answered from Meta's own
 * inbox: store it and pause the bot for the tenant's hold.
 */
export async function handleEcho(routed: Routed): Promise<void> {
  const { rt, tenant, conversationId, event } = routed;
  const message = messageBodySchema.parse(event.item.message);
  const messages = messageRepository(rt);

  if (message.metadata?.startsWith(METADATA_PREFIX)) {
    const docId = message.metadata.slice(METADATA_PREFIX.length);
    const confirmed = await markSentByEcho(routed, docId, message.mid);
    if (confirmed) return;
  }
  const known = await messages.inConversation(tenant.id, conversationId, { mid: message.mid });
  if (known.length > 0) return;
  if (message.app_id === rt.settings.META_APP_ID) return;
  if (message.text !== undefined) {
    const inFlight = await messages.inConversation(tenant.id, conversationId, {
      direction: 'out',
      statusIn: ['sending'],
      text: message.text,
    });
    const recent = inFlight.find(
      (m) => event.timestamp - Date.parse(m.outbound?.lastAttemptAt ?? '0') < ECHO_MATCH_WINDOW_MS,
    );
    if (recent && (await markSentByEcho(routed, recent.id, message.mid))) return;
  }
  // A retry that confirmed the send through the Conversations API may have stored this mid between
  // the first look and the in-flight one (moving the part from sending to sent): look once more.
  if ((await messages.inConversation(tenant.id, conversationId, { mid: message.mid })).length > 0) return;

  const now = rt.clock.now().toISOString();
  const doc: MessageDoc = {
    id: messageIdOf(event.platform, message.mid),
    tenantId: tenant.id,
    type: 'message',
    conversationId,
    contactId: routed.contactId,
    channelId: routed.channel.id,
    platform: event.platform,
    direction: 'out',
    mid: message.mid,
    ...(message.text !== undefined ? { text: message.text } : {}),
    timestamp: event.timestamp,
    status: 'sent',
    author: 'meta_inbox',
    senderId: event.accountId,
    recipientId: routed.userId,
    createdAt: now,
    updatedAt: now,
  };
  const conversationExists = Boolean(await conversationRepository(rt).get(tenant.id, conversationId));
  if (!conversationExists) return;
  const isNew = await messages.createOnce(tenant.id, doc);
  if (!isNew) return;
  void publishMessage(rt, doc);
  await applyTransition(rt, tenant.id, conversationId, {
    type: 'external_reply',
    holdMs: tenant.bot.humanHoldMinutes * 60_000,
  });
  log.info('meta.echo.human_reply', { tenantId: tenant.id, conversationId, appId: message.app_id ?? null });
}

async function markSentByEcho(routed: Routed, docId: string, mid: string): Promise<boolean> {
  const { rt, tenant } = routed;
  const messages = messageRepository(rt);
  const existing = await messages.get(tenant.id, docId);
  if (!existing || existing.conversationId !== routed.conversationId) return false;
  await messages.update(tenant.id, docId, (m) => {
    if (m.mid === mid && m.status !== 'sending' && m.status !== 'pending') return undefined;
    const advanced = m.status === 'delivered' || m.status === 'read';
    return {
      ...m,
      mid,
      status: advanced ? m.status : 'sent',
      outbound: m.outbound ? { ...m.outbound, sentAt: m.outbound.sentAt ?? routed.event.timestamp } : m.outbound,
      updatedAt: rt.clock.now().toISOString(),
    };
  });
  log.info('meta.echo.confirmed_send', { tenantId: tenant.id, conversationId: routed.conversationId });
  return true;
}
