import type { MessageDoc, Transition } from '../conversations/index.js';
import type { InsightEvent } from './metrics.js';

/**
 * Pure: the insight events a stored message or transition stands for. The live hooks and the
 * rebuild both read stored documents through these two functions, so both see the same events
 * with the same keys and times.
 */

const SENT = new Set(['sent', 'delivered', 'read']);

export function eventsOfMessage(m: MessageDoc): InsightEvent[] {
  if (m.direction === 'in') return [{ kind: 'in', key: m.id, at: m.timestamp }];
  // Replies from Meta's own inbox are counted from their transition (external_reply) instead.
  if (m.author !== 'bot' && m.author !== 'human') return [];
  if (!SENT.has(m.status)) return [];
  return [
    {
      kind: 'out',
      key: m.id,
      at: m.outbound?.sentAt ?? m.timestamp,
      author: m.author,
      first: (m.outbound?.part ?? 0) === 0,
      handoff: typeof m.lineage?.handoffReason === 'string',
    },
  ];
}

export function transitionKey(t: Pick<Transition, 'event' | 'at'>): string {
  return `t:${t.event}:${t.at}`;
}

export function eventsOfTransition(t: Transition): InsightEvent[] {
  const at = Date.parse(t.at);
  switch (t.event) {
    case 'handoff':
      return [{ kind: 'handoff', key: transitionKey(t), at, reason: t.reason ?? 'other' }];
    case 'takeover':
      // Taking over a conversation the bot had already handed off is not a second handoff.
      if (t.from === 'human') return [];
      return [{ kind: 'handoff', key: transitionKey(t), at, reason: 'takeover' }];
    case 'external_reply':
      return [{ kind: 'human_reply', key: transitionKey(t), at }];
    default:
      return [];
  }
}
