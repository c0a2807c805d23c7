import { ConflictError } from '../platform/domain-errors.js';
import type { ConversationDeps } from './conversation-deps.js';
import type { ConversationDoc } from './documents.js';
import { findConversation } from './find-conversation.js';
import { type ConversationEvent, effectiveState, TransitionError } from './state.js';
import { recordTransition } from './transitions.js';

/** What a member may do to a conversation's state from the inbox. */
export type StateChange = 'takeover' | 'handback' | 'resolve';

const EVENTS: Record<StateChange, (by: string) => ConversationEvent> = {
  takeover: (by) => ({ type: 'takeover', by }),
  handback: (by) => ({ type: 'hand_back', by }),
  resolve: (by) => ({ type: 'resolve', by }),
};

const AUDITED = { takeover: 'conversation.takeover', handback: 'conversation.hand_back' } as const;

/**
 * Takes a conversation over, hands it back to the bot or resolves it. Taking over or handing back
 * a conversation already there changes nothing; a change the state machine refuses is a conflict.
 */
export async function changeConversationState(
  deps: ConversationDeps,
  request: {
    tenantId: string;
    conversationId: string;
    change: StateChange;
    actor: { sub: string; role: string };
    ip?: string;
  },
): Promise<ConversationDoc> {
  const { tenantId, conversationId, change, actor } = request;
  const current = await findConversation(deps.conversations, tenantId, conversationId);
  const already = effectiveState(current, deps.clock.now());
  if ((change === 'takeover' && already === 'human') || (change === 'handback' && already === 'bot')) return current;
  let saved: ConversationDoc | undefined;
  try {
    saved = await recordTransition(deps, tenantId, conversationId, EVENTS[change](actor.sub));
  } catch (error) {
    if (error instanceof TransitionError) throw new ConflictError(error.message);
    throw error;
  }
  if (change !== 'resolve')
    await deps.audit({
      tenantId,
      action: AUDITED[change],
      actor,
      ip: request.ip,
      target: { type: 'conversation', id: conversationId },
    });
  return saved as ConversationDoc;
}
