export type { ChannelRepository } from './channel-repository.js';
export { cosmosChannelRepository, memoryChannelRepository } from './channel-repository.js';
export type { ChannelDoc } from './channels.js';
export { findRoute, flagReconnection, getChannel, openToken, routeIdOf, sendingBlocked } from './channels.js';
export { applyPolicyEnforcement } from './policy-enforcement.js';
