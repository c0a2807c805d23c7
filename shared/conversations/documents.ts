import type { Platform } from '../platform/ids.js';
import type { ConversationState, Transition } from './state.js';

export interface ConversationDoc {
  id: string;
  tenantId: string;
  type: 'conversation';
  channelId: string;
  contactId: string;
  platform: Platform;
  state: ConversationState;
  pausedUntil?: string;
  resolvedAt?: string;
  transitions: Transition[];
  lastInboundAt?: string;
  lastOutboundAt?: string;
  /** Inbound messages up to this timestamp (ms) have been answered or handed off. */
  answeredThrough: number;
  unread: number;
  /** Inbound messages ever stored; with readBy it gives each member's unread count. */
  inboundCount?: number;
  /** Per member (conversations/unread.ts memberKey): the inboundCount they marked read. */
  readBy?: Record<string, number>;
  /** The member (sub) the conversation is assigned to. */
  assignee?: string;
  /** §13: the automated-assistant disclosure went out in this conversation. */
  disclosureSentAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface AttachmentRef {
  type: string;
  url?: string;
  stickerId?: string;
  /** Where our copy lives in Blob Storage, when it could be made. */
  blob?: string;
  copyFailed?: string;
}

export type MessageStatus = 'received' | 'pending' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'cancelled';

export interface MessageDoc {
  id: string;
  tenantId: string;
  type: 'message';
  conversationId: string;
  contactId: string;
  channelId: string;
  platform: Platform;
  direction: 'in' | 'out';
  /** Meta's message id; for our sends it arrives with the Send API answer or the echo. */
  mid?: string;
  text?: string;
  attachments?: AttachmentRef[];
  /** Event time in ms since the epoch (Meta's timestamp for inbound). */
  timestamp: number;
  status: MessageStatus;
  senderId: string;
  recipientId: string;
  replyToMid?: string;
  quickReplyPayload?: string;
  postback?: { title?: string; payload?: string };
  referral?: { ref?: string; source?: string; type?: string };
  reaction?: { emoji?: string; reaction?: string; at: number };
  editCount?: number;
  deliveredAt?: number;
  readAt?: number;
  author?: 'bot' | 'human' | 'meta_inbox';
  outbound?: OutboundInfo;
  lineage?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** How an outbound message is being sent. */
export interface OutboundInfo {
  /** Our id, sent as Send API metadata so the echo names it. */
  outboundId: string;
  part: number;
  of: number;
  attempts: number;
  lastAttemptAt?: string;
  messagingType?: 'RESPONSE' | 'MESSAGE_TAG';
  tag?: 'HUMAN_AGENT';
  failure?: string;
  sentAt?: number;
}
