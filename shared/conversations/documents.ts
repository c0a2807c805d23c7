import { z } from 'zod';

/**
 * The stored shapes of the `conversations` and `messages` containers. Loose objects, so Cosmos's own
 * fields (`_etag`, `_ts`) and fields an older or newer version wrote survive a read-modify-write.
 */

const platform = z.enum(['messenger', 'instagram']);
const conversationState = z.enum(['bot', 'human', 'paused', 'restricted']);

/** Every field a transition record has (state.ts builds them), so a strict object loses nothing. */
const transitionSchema = z.object({
  from: conversationState,
  to: conversationState,
  event: z.enum(['handoff', 'takeover', 'hand_back', 'external_reply', 'restrict', 'lift_restriction', 'resolve']),
  at: z.string(),
  by: z.string(),
  reason: z.string().optional(),
});

export const conversationDocSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  type: z.literal('conversation'),
  channelId: z.string(),
  contactId: z.string(),
  platform,
  state: conversationState,
  pausedUntil: z.string().optional(),
  resolvedAt: z.string().optional(),
  transitions: z.array(transitionSchema),
  lastInboundAt: z.string().optional(),
  lastOutboundAt: z.string().optional(),
  /** Inbound messages up to this timestamp (ms) have been answered or handed off. */
  answeredThrough: z.number(),
  unread: z.number(),
  /** Inbound messages ever stored; with readBy it gives each member's unread count. */
  inboundCount: z.number().optional(),
  /** Per member (conversations/unread.ts memberKey): the inboundCount they marked read. */
  readBy: z.record(z.string(), z.number()).optional(),
  /** The member (sub) the conversation is assigned to. */
  assignee: z.string().optional(),
  /** §13: the automated-assistant disclosure went out in this conversation. */
  disclosureSentAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type ConversationDoc = z.infer<typeof conversationDocSchema>;

const attachmentRefSchema = z.looseObject({
  type: z.string(),
  url: z.string().optional(),
  stickerId: z.string().optional(),
  /** Where our copy lives in Blob Storage, when it could be made. */
  blob: z.string().optional(),
  copyFailed: z.string().optional(),
});

export type AttachmentRef = z.infer<typeof attachmentRefSchema>;

const messageStatusSchema = z.enum([
  'received',
  'pending',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
  'cancelled',
]);

export type MessageStatus = z.infer<typeof messageStatusSchema>;

/** How an outbound message is being sent. */
const outboundInfoSchema = z.looseObject({
  /** Our id, sent as Send API metadata so the echo names it. */
  outboundId: z.string(),
  part: z.number(),
  of: z.number(),
  attempts: z.number(),
  lastAttemptAt: z.string().optional(),
  messagingType: z.enum(['RESPONSE', 'MESSAGE_TAG']).optional(),
  tag: z.literal('HUMAN_AGENT').optional(),
  failure: z.string().optional(),
  sentAt: z.number().optional(),
});

export const messageDocSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  type: z.literal('message'),
  conversationId: z.string(),
  contactId: z.string(),
  channelId: z.string(),
  platform,
  direction: z.enum(['in', 'out']),
  /** Meta's message id; for our sends it arrives with the Send API answer or the echo. */
  mid: z.string().optional(),
  text: z.string().optional(),
  attachments: z.array(attachmentRefSchema).optional(),
  /** Event time in ms since the epoch (Meta's timestamp for inbound). */
  timestamp: z.number(),
  status: messageStatusSchema,
  senderId: z.string(),
  recipientId: z.string(),
  replyToMid: z.string().optional(),
  quickReplyPayload: z.string().optional(),
  postback: z.looseObject({ title: z.string().optional(), payload: z.string().optional() }).optional(),
  referral: z
    .looseObject({ ref: z.string().optional(), source: z.string().optional(), type: z.string().optional() })
    .optional(),
  reaction: z.looseObject({ emoji: z.string().optional(), reaction: z.string().optional(), at: z.number() }).optional(),
  editCount: z.number().optional(),
  deliveredAt: z.number().optional(),
  readAt: z.number().optional(),
  author: z.enum(['bot', 'human', 'meta_inbox']).optional(),
  outbound: outboundInfoSchema.optional(),
  lineage: z.record(z.string(), z.unknown()).optional(),
  /** Inbound: the bot reply that answered it, so a late job never answers it twice. */
  answeredBy: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type MessageDoc = z.infer<typeof messageDocSchema>;
