import type { Clock, Runtime } from '../platform/runtime.js';
import { type ConversationRepository, conversationRepository } from './conversation-repository.js';
import type { ConversationDoc } from './documents.js';
import { insightsOnTransition } from './insights-signals.js';
import { publishState } from './live-updates.js';
import { type ConversationEvent, transition } from './state.js';

/** What recording a transition needs: the store, the time, and who hears about it afterwards. */
export interface TransitionDeps {
  conversations: ConversationRepository;
  clock: Clock;
  /** Runs after the transition is stored (live inbox, insights). */
  transitioned(saved: ConversationDoc): Promise<void>;
}

/**
 * Records a transition on a conversation (pure rule, persisted with an etag). Throws TransitionError
 * when the event makes no sense in the conversation's state; undefined when there is no such conversation.
 */
export async function recordTransition(
  deps: TransitionDeps,
  tenantId: string,
  conversationId: string,
  event: ConversationEvent,
): Promise<ConversationDoc | undefined> {
  const saved = await deps.conversations.update(tenantId, conversationId, (c) => {
    const { next, record } = transition(c, event, deps.clock.now());
    return {
      ...c,
      state: next.state,
      pausedUntil: next.pausedUntil,
      resolvedAt: next.resolvedAt ?? c.resolvedAt,
      transitions: [...c.transitions, record],
      updatedAt: record.at,
    };
  });
  if (saved) await deps.transitioned(saved);
  return saved;
}

/** The live inbox hears at once (not awaited); the insights hook is queued before returning. */
export function transitionDeps(rt: Runtime): TransitionDeps {
  return {
    conversations: conversationRepository(rt),
    clock: rt.clock,
    async transitioned(saved) {
      const record = saved.transitions.at(-1);
      if (record) void publishState(rt, saved, record);
      await insightsOnTransition(rt, saved);
    },
  };
}

/** Records a transition on a conversation with the runtime's stores. */
export function applyTransition(
  rt: Runtime,
  tenantId: string,
  conversationId: string,
  event: ConversationEvent,
): Promise<ConversationDoc | undefined> {
  return recordTransition(transitionDeps(rt), tenantId, conversationId, event);
}
