export type { AttachmentRef, ConversationDoc, MessageDoc, MessageStatus } from './documents.js';
export { conversationIdOf, messageIdOf } from './ids.js';
export { insightsOnMessage, insightsOnTransition } from './insights-signals.js';
export { publishInbound, publishMessage, publishState, publishStatus } from './live-updates.js';
export { conversationsOf, getConversation, getMessage, queryMessages } from './reads.js';
export type { Transition } from './state.js';
export { effectiveState, mayBotAnswer, transition } from './state.js';
export { applyTransition } from './transitions.js';
