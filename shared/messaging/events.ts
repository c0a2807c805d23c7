import { createHash } from 'node:crypto';
import { conversationIdOf, type Platform } from './ids.js';
import type { MessagingItem, WebhookEnvelope } from './webhook-schema.js';

export type EventKind =
  | 'message'
  | 'echo'
  | 'unsend'
  | 'delivery'
  | 'read'
  | 'reaction'
  | 'edit'
  | 'postback'
  | 'referral'
  | 'handover'
  | 'change'
  | 'unknown';

/** One webhook item, as it travels on the meta-events queue. */
export interface MetaEvent {
  v: 1;
  platform: Platform;
  /** The connected Page or Instagram professional account (entry.id). */
  accountId: string;
  /** The person on the other side; absent for account-level `changes`. */
  userId?: string;
  source: 'messaging' | 'standby' | 'changes';
  kind: EventKind;
  timestamp: number;
  item: Record<string, unknown>;
}

/** A queue-ready event: the body plus the broker keys. */
export interface RoutedEvent {
  event: MetaEvent;
  messageId: string;
  sessionId: string;
}

const HANDOVER_KEYS = ['pass_thread_control', 'take_thread_control', 'request_thread_control', 'app_roles'];

/** Pure: what kind of event a messaging item is. */
export function kindOf(item: Record<string, unknown>): EventKind {
  const message = item.message as { is_echo?: boolean; is_deleted?: boolean } | undefined;
  if (message) {
    if (message.is_echo) return 'echo';
    if (message.is_deleted) return 'unsend';
    return 'message';
  }
  if (item.delivery) return 'delivery';
  if (item.read) return 'read';
  if (item.reaction) return 'reaction';
  if (item.message_edit) return 'edit';
  if (item.postback) return 'postback';
  if (item.referral) return 'referral';
  if (HANDOVER_KEYS.some((k) => k in item)) return 'handover';
  return 'unknown';
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 40);
}

/** Service Bus caps MessageId at 128 characters; long keys are hashed, short ones kept readable. */
function boundedId(key: string): string {
  return key.length <= 128 ? key : `h:${digest(key)}`;
}

/**
 * Pure: a stable MessageId per event, so the broker drops Meta's redeliveries. The Meta `mid` where
 * there is one, otherwise the fields that identify the event.
 */
export function messageIdFor(e: MetaEvent): string {
  const item = e.item as Record<string, Record<string, unknown> | undefined>;
  switch (e.kind) {
    case 'message':
      return boundedId(`${e.platform}:m:${item.message?.mid}`);
    case 'echo':
      return boundedId(`${e.platform}:echo:${item.message?.mid}`);
    case 'unsend':
      return boundedId(`${e.platform}:unsend:${item.message?.mid}`);
    case 'edit':
      return boundedId(`${e.platform}:edit:${item.message_edit?.mid}:${item.message_edit?.num_edit}`);
    case 'reaction':
      return boundedId(`${e.platform}:reaction:${item.reaction?.mid}:${item.reaction?.action}:${e.timestamp}`);
    case 'delivery':
      return boundedId(`${e.platform}:delivery:${e.accountId}:${e.userId}:${item.delivery?.watermark}`);
    case 'read':
      return boundedId(`${e.platform}:read:${e.accountId}:${e.userId}:${item.read?.watermark ?? item.read?.mid}`);
    case 'postback':
      return boundedId(`${e.platform}:postback:${item.postback?.mid ?? `${e.userId}:${e.timestamp}`}`);
    default:
      return `${e.platform}:${e.kind}:${digest([e.accountId, e.source, e.item])}`;
  }
}

/** Pure: the person in a messaging item. An echo is sent by the account, so the person is the recipient. */
function personOf(item: MessagingItem, kind: EventKind, accountId: string): string {
  if (kind === 'echo') return item.recipient.id;
  return item.sender.id === accountId ? item.recipient.id : item.sender.id;
}

/** Pure: flattens a verified envelope into queue-ready events, one per item, in the order Meta sent them. */
export function flattenEnvelope(envelope: WebhookEnvelope): RoutedEvent[] {
  const platform: Platform = envelope.object === 'instagram' ? 'instagram' : 'messenger';
  const out: RoutedEvent[] = [];
  for (const entry of envelope.entry) {
    for (const source of ['messaging', 'standby'] as const) {
      for (const item of entry[source] ?? []) {
        const kind = kindOf(item);
        const userId = personOf(item, kind, entry.id);
        const event: MetaEvent = { v: 1, platform, accountId: entry.id, userId, source, kind, timestamp: item.timestamp ?? entry.time, item };
        out.push({ event, messageId: messageIdFor(event), sessionId: conversationIdOf(platform, entry.id, userId) });
      }
    }
    for (const change of entry.changes ?? []) {
      const event: MetaEvent = { v: 1, platform, accountId: entry.id, source: 'changes', kind: 'change', timestamp: entry.time, item: change };
      out.push({ event, messageId: messageIdFor(event), sessionId: `changes:${platform}:${entry.id}` });
    }
  }
  return out;
}
