import { accountRoutes } from '../shared/accounts/api.js';
import { invitationRoutes } from '../shared/accounts/invitations-api.js';
import { settingsRoutes } from '../shared/accounts/settings-api.js';
import { billingRoutes } from '../shared/billing/api.js';
import { channelRoutes } from '../shared/channels/api.js';
import { contactRoutes } from '../shared/contacts/api.js';
import { conversationRoutes } from '../shared/conversations/api.js';
import { inboxRoutes } from '../shared/conversations/inbox-api.js';
import { marketingRoutes } from '../shared/email/marketing-api.js';
import { noticeRoutes } from '../shared/email/notices-api.js';
import { insightsRoutes } from '../shared/insights/api.js';
import { knowledgeRoutes } from '../shared/knowledge/api.js';
import { operationsRoutes } from '../shared/operations/staff-api.js';
import type { ApiRoute } from '../shared/platform/api.js';
import { privacyRoutes } from '../shared/privacy/staff-api.js';
import { realtimeRoutes } from '../shared/realtime/api.js';
import { playgroundRoute } from '../shared/replies/playground-api.js';

/** Every dashboard API route, in the order the OpenAPI document lists them. */
export const API_ROUTES: ApiRoute[] = [
  ...accountRoutes,
  ...invitationRoutes,
  ...settingsRoutes,
  ...channelRoutes,
  ...conversationRoutes,
  ...inboxRoutes,
  ...realtimeRoutes,
  ...contactRoutes,
  ...knowledgeRoutes,
  playgroundRoute,
  ...insightsRoutes,
  ...privacyRoutes,
  ...billingRoutes,
  ...marketingRoutes,
  ...noticeRoutes,
  ...operationsRoutes,
] as ApiRoute[];
