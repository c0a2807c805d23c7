import { type MemberDoc, tenantRepositoryOf } from '../accounts/index.js';
import { log } from '../platform/log.js';
import type { Runtime } from '../platform/runtime.js';
import { type RealtimeEvent, realtimeUserId, tenantGroup } from '../realtime/index.js';
import type { ConversationDoc, MessageDoc } from './documents.js';
import { previewOf } from './preview.js';
import type { Transition } from './state.js';
import { memberKey, unreadFor } from './unread.js';

/**
 * Sends one event to a tenant's inbox. Never throws: the live inbox is a convenience, the stores are
 * the truth. Queue handlers call these without awaiting, so a conversation's next message never waits
 * on Web PubSub; a warm instance finishes the send, and a client that misses one catches up on read.
 */
export async function publishToTenant(rt: Runtime, tenantId: string, event: RealtimeEvent): Promise<void> {
  if (!rt.realtime.enabled) return;
  await rt.realtime.toGroup(tenantGroup(tenantId), event);
}

/** A stored message (inbound, a bot reply or a human reply). */
export function publishMessage(rt: Runtime, m: MessageDoc): Promise<void> {
  return publishToTenant(rt, m.tenantId, {
    type: 'message.created',
    conversationId: m.conversationId,
    messageId: m.id,
    direction: m.direction,
    ...(m.author ? { author: m.author } : {}),
    preview: previewOf(m),
    at: new Date(m.timestamp).toISOString(),
  });
}

/** A message's delivery status moved. */
export function publishStatus(
  rt: Runtime,
  m: Pick<MessageDoc, 'tenantId' | 'conversationId' | 'id'>,
  status: MessageDoc['status'],
  at: Date,
): Promise<void> {
  if (status === 'received') return Promise.resolve();
  return publishToTenant(rt, m.tenantId, {
    type: 'message.status',
    conversationId: m.conversationId,
    messageId: m.id,
    status,
    at: at.toISOString(),
  });
}

/** A conversation changed state; a handoff also says why. */
export async function publishState(
  rt: Runtime,
  c: Pick<ConversationDoc, 'tenantId' | 'id'>,
  record: Transition,
): Promise<void> {
  await publishToTenant(rt, c.tenantId, {
    type: 'conversation.state',
    conversationId: c.id,
    state: record.to,
    event: record.event,
    by: record.by,
    at: record.at,
  });
  if (record.event === 'handoff')
    await publishToTenant(rt, c.tenantId, {
      type: 'conversation.handoff',
      conversationId: c.id,
      reason: record.reason ?? 'handoff',
      at: record.at,
    });
}

/** How long a tenant's member list is reused for unread events; a new member's first events may lag this much. */
const MEMBERS_TTL_MS = 30_000;
const membersCache = new Map<string, { at: number; members: Array<Pick<MemberDoc, 'sub'>> }>();

async function membersOf(rt: Runtime, tenantId: string): Promise<Array<Pick<MemberDoc, 'sub'>>> {
  const cached = membersCache.get(tenantId);
  if (cached && Date.now() - cached.at < MEMBERS_TTL_MS) return cached.members;
  const resources = (await tenantRepositoryOf(rt).listMembers(tenantId)).map((m) => ({ sub: m.sub }));
  // Bounded: a busy instance serving many tenants keeps only recent ones.
  if (membersCache.size > 1000) membersCache.clear();
  membersCache.set(tenantId, { at: Date.now(), members: resources });
  return resources;
}

/**
 * Each member's own unread count for one conversation, to that member's connections only (unread is
 * per member, so it cannot go to the whole group). Costs one small query for the members; totals
 * are not recomputed here, because that would scan the tenant's conversations on every message.
 */
export async function publishUnread(rt: Runtime, c: ConversationDoc, onlySub?: string): Promise<void> {
  if (!rt.realtime.enabled) return;
  try {
    const members = onlySub ? [{ sub: onlySub }] : await membersOf(rt, c.tenantId);
    const at = rt.clock.now().toISOString();
    await Promise.all(
      members.map((m) =>
        rt.realtime.toUser(realtimeUserId(c.tenantId, m.sub), {
          type: 'unread.changed',
          conversationId: c.id,
          unread: unreadFor(c, memberKey(m.sub)),
          at,
        } satisfies RealtimeEvent),
      ),
    );
  } catch (error) {
    log.warn('realtime.unread_failed', { tenantId: c.tenantId, error });
  }
}

/** A new inbound message: the event for the group, and everyone's unread count. */
export async function publishInbound(rt: Runtime, m: MessageDoc, c: ConversationDoc): Promise<void> {
  await Promise.all([publishMessage(rt, m), publishUnread(rt, c)]);
}
