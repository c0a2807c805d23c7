export type { RealtimeEvent } from './events.js';
export { PREVIEW_CHARS, realtimeUserId, tenantGroup } from './events.js';
