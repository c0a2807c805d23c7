export {
  type ConversationFilter,
  type ConversationHistory,
  type ConversationRepository,
  type ConversationSubject,
  conversationRepository,
  cosmosConversationRepository,
  memoryConversationRepository,
} from './conversation-repository.js';
export type { AttachmentRef, ConversationDoc, MessageDoc, MessageStatus } from './documents.js';
export { conversationIdOf, messageIdOf } from './ids.js';
export { insightsOnMessage, insightsOnTransition } from './insights-signals.js';
export { publishInbound, publishMessage, publishState, publishStatus } from './live-updates.js';
export {
  cosmosMessageRepository,
  type MessageFigures,
  type MessageQuery,
  type MessageRepository,
  type MessageSubject,
  memoryMessageRepository,
  messageRepository,
} from './message-repository.js';
export type { ConversationEvent, Transition } from './state.js';
export { effectiveState, mayBotAnswer, transition } from './state.js';
export { applyTransition, recordTransition, type TransitionDeps } from './transitions.js';
