import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isoTime } from '../platform/iso-time.js';

/** Longest message preview an event carries; the full text is one GET away. */
export const PREVIEW_CHARS = 120;

const ids = { conversationId: z.string(), at: isoTime };

/**
 * Every live event the inbox receives. Small on purpose: ids, a short preview, a state, a count,
 * never a history. A client that misses one catches up with its next read.
 */
export const realtimeEventSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('message.created'),
      ...ids,
      messageId: z.string(),
      direction: z.enum(['in', 'out']),
      author: z.enum(['bot', 'human', 'meta_inbox']).optional(),
      preview: z.string().max(PREVIEW_CHARS + 1),
    }),
    z.object({
      type: z.literal('message.status'),
      ...ids,
      messageId: z.string(),
      status: z.enum(['pending', 'sending', 'sent', 'delivered', 'read', 'failed', 'cancelled']),
    }),
    z.object({
      type: z.literal('conversation.state'),
      ...ids,
      state: z.enum(['bot', 'human', 'paused', 'restricted']),
      event: z.string(),
      by: z.string(),
    }),
    z.object({ type: z.literal('conversation.handoff'), ...ids, reason: z.string() }),
    z.object({ type: z.literal('conversation.assigned'), ...ids, assignee: z.string().nullable(), by: z.string() }),
    z.object({
      type: z.literal('unread.changed'),
      ...ids,
      unread: z
        .number()
        .int()
        .min(0)
        .describe("The receiving member's own unread count for this conversation; totals: GET /api/v1/inbox/summary"),
    }),
  ])
  .meta({ id: 'RealtimeEvent', description: 'One live inbox event, as Web PubSub delivers it (dataType json).' });

export type RealtimeEvent = z.infer<typeof realtimeEventSchema>;

/** Pure: the Web PubSub group of one tenant's inbox. */
export function tenantGroup(tenantId: string): string {
  return `tenant.${tenantId}`;
}

/**
 * Pure: the Web PubSub user id of one member. The tenant is part of it, so a message to a user can
 * never reach a connection opened for another tenant.
 */
export function realtimeUserId(tenantId: string, sub: string): string {
  return `${tenantId}.${createHash('sha256').update(sub).digest('base64url').slice(0, 22)}`;
}
