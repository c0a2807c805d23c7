import { audit } from '../audit/index.js';
import { applyTransition, type ConversationRepository, conversationRepository } from '../conversations/index.js';
import type { Clock, Runtime } from '../platform/runtime.js';
import { type ContactRepository, contactRepository } from './contact-repository.js';

/** What the contact use-cases need; unit tests build it from memory repositories. */
export interface ContactDeps {
  contacts: ContactRepository;
  conversations: ConversationRepository;
  clock: Clock;
  /** Records a restriction (or its lifting) on one conversation. */
  transition(
    tenantId: string,
    conversationId: string,
    event: { type: 'restrict' | 'lift_restriction'; by: string },
  ): Promise<unknown>;
  audit(entry: Parameters<typeof audit>[1]): Promise<void>;
}

export function contactDeps(rt: Runtime): ContactDeps {
  return {
    contacts: contactRepository(rt),
    conversations: conversationRepository(rt),
    clock: rt.clock,
    transition: (tenantId, conversationId, event) => applyTransition(rt, tenantId, conversationId, event),
    audit: (entry) => audit(rt, entry),
  };
}
