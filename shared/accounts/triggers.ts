export type { MemberDoc } from './account-schemas.js';
export { memberId } from './account-schemas.js';
export { accountRoutes } from './api.js';
export { defaultBotSettings } from './bot-settings.js';
export { claimsHandler } from './claims-api.js';
export { invitationRoutes } from './invitations-api.js';
export { memberAccess } from './member-access.js';
export { settingsRoutes } from './settings-api.js';
export type { TenantDoc } from './tenants.js';
