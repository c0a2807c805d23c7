export { cosmosChannelRepository } from './channel-repository.js';
export type { ChannelDoc } from './channels.js';
export { findRoute, flagReconnection, getChannel, openToken, sendingBlocked } from './channels.js';
export { applyPolicyEnforcement } from './policy-enforcement.js';
