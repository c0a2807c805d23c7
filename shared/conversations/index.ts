export {
  type ConversationRepository,
  conversationRepository,
  cosmosConversationRepository,
  memoryConversationRepository,
} from './conversation-repository.js';
export type { AttachmentRef, ConversationDoc, MessageDoc, MessageStatus } from './documents.js';
export { conversationIdOf, messageIdOf } from './ids.js';
export { insightsAfterSend, insightsOnMessage } from './insights-signals.js';
export { publishInbound, publishMessage, publishStatus } from './live-updates.js';
export { cosmosMessageRepository, memoryMessageRepository, messageRepository } from './message-repository.js';
export type { Transition } from './state.js';
export { effectiveState, mayBotAnswer } from './state.js';
export { applyTransition, recordTransition } from './transitions.js';
export { releaseMemberConversations } from './unassign-member.js';
