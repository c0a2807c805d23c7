import { createHash } from 'node:crypto';
import { effectiveState } from './state.js';

/** What the unread rules read from a conversation. */
export interface UnreadFields {
  /** Inbound messages ever stored in the conversation. */
  inboundCount?: number;
  /** Older conversations only: the tenant-wide unread count from before read markers were per member. */
  unread: number;
  /** Per member (by memberKey): the inboundCount they had read up to. */
  readBy?: Record<string, number>;
}

/** Pure: a member's key in `readBy`, from their subject (a hash: no `/` for patch paths, no raw ids in documents). */
export function memberKey(sub: string): string {
  return createHash('sha256').update(sub).digest('base64url').slice(0, 16);
}

/** Pure: inbound messages a member has not read yet. Reading messages never changes this; only marking read does. */
export function unreadFor(c: UnreadFields, key: string): number {
  const total = c.inboundCount ?? c.unread;
  return Math.max(0, total - (c.readBy?.[key] ?? 0));
}

/** The fields of a conversation the inbox totals need. */
export interface SummaryRow extends UnreadFields {
  channelId: string;
  platform: 'messenger' | 'instagram';
  state: 'bot' | 'human' | 'paused' | 'restricted';
  pausedUntil?: string;
  assignee?: string;
}

export interface InboxSummary {
  conversations: number;
  unreadConversations: number;
  unreadMessages: number;
  waitingForHuman: number;
  assignedToMe: number;
  byChannel: Array<{
    channelId: string;
    platform: 'messenger' | 'instagram';
    conversations: number;
    unreadConversations: number;
    waitingForHuman: number;
  }>;
}

/** Pure: the badge totals of one member's inbox. "Waiting for a human" is the human state. */
export function summarize(rows: SummaryRow[], key: string, sub: string, now: Date): InboxSummary {
  const byChannel = new Map<string, InboxSummary['byChannel'][number]>();
  const out: InboxSummary = {
    conversations: 0,
    unreadConversations: 0,
    unreadMessages: 0,
    waitingForHuman: 0,
    assignedToMe: 0,
    byChannel: [],
  };
  for (const row of rows) {
    const unread = unreadFor(row, key);
    const waiting = effectiveState(row, now) === 'human';
    const channel = byChannel.get(row.channelId) ?? {
      channelId: row.channelId,
      platform: row.platform,
      conversations: 0,
      unreadConversations: 0,
      waitingForHuman: 0,
    };
    channel.conversations++;
    out.conversations++;
    if (unread > 0) {
      channel.unreadConversations++;
      out.unreadConversations++;
      out.unreadMessages += unread;
    }
    if (waiting) {
      channel.waitingForHuman++;
      out.waitingForHuman++;
    }
    if (row.assignee === sub) out.assignedToMe++;
    byChannel.set(row.channelId, channel);
  }
  out.byChannel = [...byChannel.values()].sort((a, b) => a.channelId.localeCompare(b.channelId));
  return out;
}
