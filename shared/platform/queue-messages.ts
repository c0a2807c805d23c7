import { createHash } from 'node:crypto';
import { z } from 'zod';
import { conversationIdOf } from './ids.js';

/**
 * The body of every queue message, one schema per queue. Senders are checked against it before a
 * message leaves, and the trigger parses with it, so both ends share one definition. Self-contained
 * on purpose: platform knows no slice, so the slices import these rather than the other way round.
 */

const platform = z.enum(['messenger', 'instagram']);
const language = z.enum(['en', 'ro']);

/** What a Meta webhook item is; `unknown` items are acknowledged by the webhook and never queued. */
const META_EVENT_KINDS = [
  'message',
  'echo',
  'unsend',
  'delivery',
  'read',
  'reaction',
  'edit',
  'postback',
  'referral',
  'handover',
  'optin',
  'policy',
  'change',
  'unknown',
] as const;
export type MetaEventKind = (typeof META_EVENT_KINDS)[number];

/** meta-events: one webhook item, as the webhook flattened it. */
export const metaEventSchema = z.object({
  v: z.literal(1),
  platform,
  /** The connected Page or Instagram professional account (entry.id). */
  accountId: z.string().min(1),
  /** The person on the other side; absent for account-level events (`changes`, policy enforcement). */
  userId: z.string().min(1).optional(),
  source: z.enum(['messaging', 'standby', 'changes']),
  kind: z.enum(META_EVENT_KINDS),
  timestamp: z.number(),
  item: z.record(z.string(), z.unknown()),
});
export type MetaEventMessage = z.infer<typeof metaEventSchema>;

/** replies: answer everything up to this inbound message, once the burst wait is over. */
export const replyJobSchema = z.object({
  tenantId: z.string().min(1),
  conversationId: z.string().min(1),
  triggerTimestamp: z.number(),
  triggerMessageId: z.string().min(1),
  /** The trigger arrived after a later message was answered: it alone is answered, out of turn. */
  late: z.literal(true).optional(),
});

/** outbound: the parts of one outbound reply, sent in order. */
export const sendJobSchema = z.object({
  tenantId: z.string().min(1),
  conversationId: z.string().min(1),
  messageIds: z.array(z.string().min(1)).min(1),
  attempt: z.number().int().min(0),
  /**
   * The reply the parts belong to: the first attempt's MessageId is made from it. Always sent since
   * it was added; optional so a job queued before then still parses.
   */
  replyId: z.string().min(1).optional(),
});

/** knowledge-index: rebuild a tenant's index (up to at least this version). */
export const knowledgeIndexJobSchema = z.object({ tenantId: z.string().min(1), version: z.number().int() });

/** privacy-jobs: deletions and exports. */
export const privacyJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('account-deletion'), tenantId: z.string().min(1), requestedAt: z.string() }),
  /** The second pass over an erased account, for writes that were already under way when its deletion began. */
  z.object({ kind: z.literal('account-sweep'), tenantId: z.string().min(1) }),
  z.object({
    kind: z.literal('end-user-deletion'),
    code: z.string().min(1),
    platformUserId: z.string().min(1),
    /** Meta's callback: platformUserId is app-scoped and is matched to page-scoped ids first (§12.3). */
    appScoped: z.boolean().optional(),
    tenantId: z.string().optional(),
    confirmTo: z.email().optional(),
    language: language.default('en'),
    /**
     * The subject's pseudonym (a keyed hash, never the id itself): the session, so two deletions of one
     * person never overlap. Always sent since it was added; optional so an older job still parses.
     */
    subjectRef: z.string().min(1).optional(),
  }),
  // notifyTo is checked by the job, not here: a bad address must fail the export visibly, not dead-letter it and leave
  // it pending.
  z.object({
    kind: z.literal('export'),
    exportId: z.string().min(1),
    scope: z.enum(['tenant', 'end-user']),
    subjectId: z.string().min(1),
    notifyTo: z.string().max(2000),
    language: language.default('en'),
  }),
]);

/** stripe-events: the part of a verified Stripe event the queue carries. */
export const stripeEventSchema = z.object({
  id: z.string().regex(/^evt_/),
  type: z.string().min(1),
  created: z.number().int(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

const conversationState = z.enum(['bot', 'human', 'paused', 'restricted']);

/** insights-events: what the counters must take in. */
export const insightsJobSchema = z.discriminatedUnion('kind', [
  /** Messages stored or sent: their stored state says what they count for. */
  z.object({
    kind: z.literal('messages'),
    tenantId: z.string().min(1),
    conversationId: z.string().min(1),
    messageIds: z.array(z.string().min(1)).min(1),
    /** The send job attempt that reported these parts; absent when a received message was stored. */
    attempt: z.number().int().min(0).optional(),
  }),
  /** A transition recorded on a conversation. */
  z.object({
    kind: z.literal('transition'),
    tenantId: z.string().min(1),
    conversationId: z.string().min(1),
    contactId: z.string().min(1),
    platform,
    transition: z.object({
      from: conversationState,
      to: conversationState,
      event: z.enum(['handoff', 'takeover', 'hand_back', 'external_reply', 'restrict', 'lift_restriction', 'resolve']),
      at: z.string(),
      by: z.string(),
      reason: z.string().optional(),
    }),
  }),
]);

/**
 * Every email Aliat sends (the email slice holds their texts). Transactional ones never depend on marketing consent.
 */
const EMAIL_TEMPLATE_NAMES = [
  'welcome',
  'payment_failed',
  'subscription_ended',
  'channel_needs_reconnection',
  'channel_blocked',
  'conversation_waiting',
  'usage_80',
  'usage_100',
  'deletion_scheduled',
  'deletion_completed',
  'export_ready',
  'breach_notice',
  'policy_change',
  'end_user_deletion_confirmation',
  'insights_weekly_digest',
  'newsletter',
  'invitation',
  'marketing_confirmation',
] as const;
export type EmailTemplateName = (typeof EMAIL_TEMPLATE_NAMES)[number];

/** emails: one email to send. */
export const emailJobSchema = z.object({
  /** Idempotency key: the same key is sent at most once. */
  key: z.string().min(1).max(200),
  template: z.enum(EMAIL_TEMPLATE_NAMES),
  language,
  to: z.email(),
  data: z.record(z.string(), z.union([z.string(), z.number()])),
  tenantId: z.string().optional(),
  attempt: z.number().int().min(0).default(0),
});

// ---- Keys: the session and the MessageId each message travels with ----

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 40);
}

/** Service Bus caps MessageId at 128 characters; long keys are hashed, short ones kept readable. */
function boundedId(key: string): string {
  return key.length <= 128 ? key : `h:${digest(key)}`;
}

/**
 * A stable MessageId per Meta event, so the broker drops Meta's redeliveries: the Meta `mid` where
 * there is one, otherwise the fields that identify the event.
 */
export function metaEventMessageId(e: MetaEventMessage): string {
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

/** A person's events share their conversation's session; account-level events one per account. */
export function metaEventSessionId(e: MetaEventMessage): string {
  if (e.source === 'changes') return `changes:${e.platform}:${e.accountId}`;
  if (!e.userId) return `account:${e.platform}:${e.accountId}`;
  return conversationIdOf(e.platform, e.accountId, e.userId);
}

/** The first attempt is keyed by its reply (a repeated reply job is dropped), a retry by its first part and attempt. */
export function sendJobMessageId(job: z.infer<typeof sendJobSchema>): string {
  if (job.attempt > 0) return `send:${job.messageIds[0]}:retry:${job.attempt}`;
  if (!job.replyId) throw new Error('A first send job needs its replyId');
  return `send:${job.replyId}`;
}

export function privacyJobMessageId(job: z.infer<typeof privacyJobSchema>): string {
  switch (job.kind) {
    case 'account-deletion':
      return `account-deletion:${job.tenantId}`;
    case 'account-sweep':
      return `account-sweep:${job.tenantId}`;
    case 'end-user-deletion':
      return `${job.appScoped ? 'meta-deletion' : 'end-user-deletion'}:${job.code}`;
    case 'export':
      return `export:${job.exportId}`;
  }
}

/** One session per subject: a tenant's jobs, one person's deletions, or an End-User export on its own. */
export function privacyJobSessionId(job: z.infer<typeof privacyJobSchema>): string {
  switch (job.kind) {
    case 'account-deletion':
    case 'account-sweep':
      return `tenant:${job.tenantId}`;
    case 'end-user-deletion':
      if (!job.subjectRef) throw new Error('An end-user deletion needs its subjectRef');
      return `end-user:${job.subjectRef}`;
    case 'export':
      return job.scope === 'tenant' ? `tenant:${job.subjectId}` : `export:${job.exportId}`;
  }
}

/** One session per Stripe customer; events without one share a session. */
export function stripeEventSessionId(event: z.infer<typeof stripeEventSchema>): string {
  const object = event.data.object;
  const customer =
    typeof object.customer === 'string' ? object.customer : object.object === 'customer' ? String(object.id) : 'none';
  return `customer:${customer}`;
}

const shortHash = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 24);

export function insightsJobMessageId(job: z.infer<typeof insightsJobSchema>): string {
  if (job.kind === 'transition')
    return `insights:${shortHash(`t:${job.conversationId}:${job.transition.event}:${job.transition.at}`)}`;
  const ids = job.messageIds.join(',');
  return `insights:${shortHash(job.attempt === undefined ? `m:${ids}` : `s:${ids}:${job.attempt}`)}`;
}

/** A retry is a new message (the first one was taken); the key alone would be dropped as a duplicate. */
export function emailJobMessageId(job: z.infer<typeof emailJobSchema>): string {
  return job.attempt === 0 ? `email:${job.key}` : `email:${job.key}:retry:${job.attempt}`;
}

/** Pure: a schema failure as one readable line, naming each bad field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}
