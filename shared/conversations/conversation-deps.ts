import { tenantRepositoryOf } from '../accounts/index.js';
import { audit } from '../audit/index.js';
import { type ContactRepository, contactRepository } from '../contacts/index.js';
import { QUEUES, type QueueInput, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import type { RealtimeEvent } from '../realtime/index.js';
import type { MessageDoc } from './documents.js';
import { publishMessage, publishToTenant, publishUnread } from './live-updates.js';
import { type MessageRepository, messageRepository } from './message-repository.js';
import { type TransitionDeps, transitionDeps } from './transitions.js';

/** One audit entry, as the audit slice takes it. */
export type AuditEntry = Parameters<typeof audit>[1];

/**
 * What the inbox use-cases need: the three stores, the clock, and the side effects that follow a
 * write (live inbox, send queue, audit log). Built from the runtime by `conversationDeps`; unit
 * tests build it from memory repositories and recorders.
 */
export interface ConversationDeps extends TransitionDeps {
  messages: MessageRepository;
  contacts: ContactRepository;
  /** A stored message reaches the live inbox. */
  messageCreated(message: MessageDoc): Promise<void>;
  /** One member's unread count changed. */
  unreadChanged(conversation: Parameters<typeof publishUnread>[1], sub: string): Promise<void>;
  /** An event for the whole tenant's inbox. */
  announce(tenantId: string, event: RealtimeEvent): Promise<void>;
  /** Queues the parts of a reply for the send job. */
  enqueueSend(job: QueueInput<typeof QUEUES.outbound>): Promise<void>;
  audit(entry: AuditEntry): Promise<void>;
  /** Whether `sub` is a member of the tenant's team. */
  isMember(tenantId: string, sub: string): Promise<boolean>;
}

export function conversationDeps(rt: Runtime): ConversationDeps {
  return {
    ...transitionDeps(rt),
    messages: messageRepository(rt),
    contacts: contactRepository(rt),
    messageCreated: (message) => publishMessage(rt, message),
    unreadChanged: (conversation, sub) => publishUnread(rt, conversation, sub),
    announce: (tenantId, event) => publishToTenant(rt, tenantId, event),
    enqueueSend: (job) => sendToQueue(rt.bus, QUEUES.outbound, job),
    audit: (entry) => audit(rt, entry),
    async isMember(tenantId, sub) {
      return Boolean(await tenantRepositoryOf(rt).getMember(tenantId, sub));
    },
  };
}
