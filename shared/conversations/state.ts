/**
 * The conversation state machine. Pure: callers persist the result. Every transition returns a
 * record of who moved it, from what, to what and why.
 *
 *   bot ──handoff / takeover──▶ human ──hand_back──▶ bot
 *   bot ──external_reply──▶ paused(until) ──(time passes)──▶ bot
 *   any ──restrict──▶ restricted ──lift_restriction──▶ bot
 */
export type ConversationState = 'bot' | 'human' | 'paused' | 'restricted';

export type ConversationEvent =
  | { type: 'handoff'; reason: string }
  | { type: 'takeover'; by: string }
  | { type: 'hand_back'; by: string }
  | { type: 'external_reply'; holdMs: number }
  | { type: 'restrict'; by: string }
  | { type: 'lift_restriction'; by: string }
  | { type: 'resolve'; by: string };

export interface StateSnapshot {
  state: ConversationState;
  /** When a pause ends; only meaningful in `paused`. */
  pausedUntil?: string;
  resolvedAt?: string;
}

export interface Transition {
  from: ConversationState;
  to: ConversationState;
  event: ConversationEvent['type'];
  at: string;
  by: string;
  reason?: string;
}

/** The state in force at `now`: a pause that has run out is back to bot. */
export function effectiveState(snapshot: StateSnapshot, now: Date): ConversationState {
  if (snapshot.state === 'paused' && snapshot.pausedUntil && new Date(snapshot.pausedUntil) <= now) return 'bot';
  return snapshot.state;
}

export class TransitionError extends Error {
  constructor(
    readonly from: ConversationState,
    readonly event: ConversationEvent['type'],
  ) {
    super(`Cannot ${event} a conversation in state ${from}`);
    this.name = 'TransitionError';
  }
}

/** Applies an event. Throws TransitionError when the event makes no sense in the current state. */
export function transition(
  snapshot: StateSnapshot,
  event: ConversationEvent,
  now: Date,
): { next: StateSnapshot; record: Transition } {
  const from = effectiveState(snapshot, now);
  const at = now.toISOString();
  const make = (to: ConversationState, by: string, extra: Partial<StateSnapshot> = {}, reason?: string) => ({
    next: { state: to, ...extra },
    record: { from, to, event: event.type, at, by, ...(reason ? { reason } : {}) },
  });
  switch (event.type) {
    case 'handoff':
      if (from !== 'bot') throw new TransitionError(from, event.type);
      return make('human', 'bot', {}, event.reason);
    case 'takeover':
      if (from === 'restricted') throw new TransitionError(from, event.type);
      return make('human', event.by);
    case 'hand_back':
      if (from !== 'human' && from !== 'paused') throw new TransitionError(from, event.type);
      return make('bot', event.by);
    case 'external_reply': {
      if (from === 'restricted' || from === 'human')
        return { next: snapshot, record: { from, to: from, event: event.type, at, by: 'meta_inbox' } };
      const until = new Date(now.getTime() + event.holdMs).toISOString();
      return make('paused', 'meta_inbox', { pausedUntil: until });
    }
    case 'restrict':
      return make('restricted', event.by);
    case 'lift_restriction':
      if (from !== 'restricted') throw new TransitionError(from, event.type);
      return make('bot', event.by);
    case 'resolve':
      if (from === 'restricted') throw new TransitionError(from, event.type);
      return make('bot', event.by, { resolvedAt: at });
  }
}

/** Everything that must hold for the bot to answer. */
export interface AnswerConditions {
  state: ConversationState;
  botEnabled: boolean;
  entitled: boolean;
  contactRestricted: boolean;
  windowOpen: boolean;
}

export type AnswerDecision =
  | { answer: true }
  | {
      answer: false;
      reason: 'not_bot_state' | 'bot_disabled' | 'not_entitled' | 'contact_restricted' | 'window_closed';
    };

/** The bot answers only when every condition holds; the first that fails is the reason. */
export function mayBotAnswer(c: AnswerConditions): AnswerDecision {
  if (c.contactRestricted) return { answer: false, reason: 'contact_restricted' };
  if (!c.botEnabled) return { answer: false, reason: 'bot_disabled' };
  if (c.state !== 'bot') return { answer: false, reason: 'not_bot_state' };
  if (!c.entitled) return { answer: false, reason: 'not_entitled' };
  if (!c.windowOpen) return { answer: false, reason: 'window_closed' };
  return { answer: true };
}
