import type { z } from 'zod';
import type { Platform } from '../platform/ids.js';
import type { MetaEventKind, MetaEventMessage } from '../platform/queue-messages.js';
import { QUEUES } from '../platform/queues.js';
import {
  changeSchema,
  deliverySchema,
  editSchema,
  type MessagingItem,
  messageBodySchema,
  messagingItemSchema,
  parseEntry,
  policyEnforcementSchema,
  postbackSchema,
  reactionSchema,
  readSchema,
  referralSchema,
  type WebhookEnvelope,
} from './webhook-schema.js';

export type EventKind = MetaEventKind;

/** One webhook item, as it travels on the meta-events queue (its contract is in platform/queue-messages.ts). */
export type MetaEvent = MetaEventMessage;

/** A queue-ready event: the body plus the broker keys its queue contract gives it. */
export interface RoutedEvent {
  event: MetaEvent;
  messageId: string;
  sessionId: string;
}

function routed(event: MetaEvent): RoutedEvent {
  return {
    event,
    messageId: QUEUES.metaEvents.messageId(event),
    sessionId: QUEUES.metaEvents.sessionId(event) as string,
  };
}

/** An item acknowledged without being queued: logged by kind, never by content. */
export interface SkippedItem {
  platform: Platform;
  source: 'entry' | 'messaging' | 'standby' | 'changes';
  kind: EventKind | 'entry';
  reason: 'malformed' | 'no_person' | 'invalid_body' | 'unhandled';
}

const HANDOVER_KEYS = ['pass_thread_control', 'take_thread_control', 'request_thread_control', 'app_roles'];
const POLICY_KEYS = ['policy-enforcement', 'policy_enforcement'];

/** Pure: what kind of event a messaging item is. */
export function kindOf(item: Record<string, unknown>): EventKind {
  const message = item.message as { is_echo?: boolean; is_deleted?: boolean } | undefined;
  if (message && typeof message === 'object') {
    if (message.is_echo === true) return 'echo';
    if (message.is_deleted === true) return 'unsend';
    return 'message';
  }
  if (item.delivery) return 'delivery';
  if (item.read) return 'read';
  if (item.reaction) return 'reaction';
  if (item.message_edit) return 'edit';
  if (item.postback) return 'postback';
  if (item.referral) return 'referral';
  if (item.optin) return 'optin';
  if (POLICY_KEYS.some((k) => k in item)) return 'policy';
  if (HANDOVER_KEYS.some((k) => k in item)) return 'handover';
  return 'unknown';
}

/** The body each kind must have for ingest to act on it; a kind not listed is only acknowledged there. */
const BODY: Partial<Record<EventKind, { key: string; schema: z.ZodType }>> = {
  message: { key: 'message', schema: messageBodySchema },
  echo: { key: 'message', schema: messageBodySchema },
  unsend: { key: 'message', schema: messageBodySchema },
  delivery: { key: 'delivery', schema: deliverySchema },
  read: { key: 'read', schema: readSchema },
  reaction: { key: 'reaction', schema: reactionSchema },
  edit: { key: 'message_edit', schema: editSchema },
  postback: { key: 'postback', schema: postbackSchema },
  referral: { key: 'referral', schema: referralSchema },
};

/** Pure: the policy-enforcement body of an item, under either spelling Meta has used. */
export function policyBodyOf(item: Record<string, unknown>): z.infer<typeof policyEnforcementSchema> | undefined {
  const raw = item['policy-enforcement'] ?? item.policy_enforcement;
  const parsed = policyEnforcementSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

function bodyIsValid(kind: EventKind, item: Record<string, unknown>): boolean {
  if (kind === 'policy') return policyBodyOf(item) !== undefined;
  const rule = BODY[kind];
  return !rule || rule.schema.safeParse(item[rule.key]).success;
}

/** Pure: the person in a messaging item. An echo is sent by the account, so the person is the recipient. */
function personOf(item: MessagingItem, kind: EventKind, accountId: string): string | undefined {
  const sender = item.sender?.id;
  const recipient = item.recipient?.id;
  if (!sender || !recipient) return undefined;
  if (kind === 'echo') return recipient;
  return sender === accountId ? recipient : sender;
}

/** Kinds that concern the account as a whole; they are queued without a person. */
const ACCOUNT_KINDS = new Set<EventKind>(['policy']);

/**
 * Pure: flattens a verified envelope into queue-ready events, one per item, in the order Meta sent
 * them. An item that cannot be handled (no person, odd shape, a kind we do not act on) is left out
 * and reported in `skipped`, so it is acknowledged without ever holding back its neighbours.
 */
export function flattenEnvelope(envelope: WebhookEnvelope, skipped: SkippedItem[] = []): RoutedEvent[] {
  const platform: Platform = envelope.object === 'instagram' ? 'instagram' : 'messenger';
  const out: RoutedEvent[] = [];
  for (const rawEntry of envelope.entry) {
    const entry = parseEntry(rawEntry);
    if (!entry) {
      skipped.push({ platform, source: 'entry', kind: 'entry', reason: 'malformed' });
      continue;
    }
    const time = entry.time;
    for (const source of ['messaging', 'standby'] as const) {
      for (const raw of entry[source] ?? []) {
        const parsed = messagingItemSchema.safeParse(raw);
        if (!parsed.success) {
          skipped.push({ platform, source, kind: 'unknown', reason: 'malformed' });
          continue;
        }
        const item = parsed.data;
        const kind = kindOf(item);
        if (kind === 'unknown') {
          skipped.push({ platform, source, kind, reason: 'unhandled' });
          continue;
        }
        if (!bodyIsValid(kind, item)) {
          skipped.push({ platform, source, kind, reason: 'invalid_body' });
          continue;
        }
        const timestamp = item.timestamp ?? time;
        if (ACCOUNT_KINDS.has(kind)) {
          const event: MetaEvent = { v: 1, platform, accountId: entry.id, source, kind, timestamp, item };
          out.push(routed(event));
          continue;
        }
        const userId = personOf(item, kind, entry.id);
        if (!userId) {
          skipped.push({ platform, source, kind, reason: 'no_person' });
          continue;
        }
        const event: MetaEvent = { v: 1, platform, accountId: entry.id, userId, source, kind, timestamp, item };
        out.push(routed(event));
      }
    }
    for (const raw of entry.changes ?? []) {
      const change = changeSchema.safeParse(raw);
      if (!change.success) {
        skipped.push({ platform, source: 'changes', kind: 'change', reason: 'malformed' });
        continue;
      }
      const event: MetaEvent = {
        v: 1,
        platform,
        accountId: entry.id,
        source: 'changes',
        kind: 'change',
        timestamp: time,
        item: change.data,
      };
      out.push(routed(event));
    }
  }
  return out;
}
