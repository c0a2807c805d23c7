import { accountRoutes } from '../accounts/api.js';
import { invitationRoutes } from '../accounts/invitations-api.js';
import { settingsRoutes } from '../accounts/settings-api.js';
import { billingRoutes } from '../billing/api.js';
import { channelRoutes } from '../channels/api.js';
import { contactRoutes } from '../contacts/api.js';
import { conversationRoutes } from '../conversations/api.js';
import { inboxRoutes } from '../conversations/inbox-api.js';
import { marketingRoutes } from '../email/marketing-api.js';
import { noticeRoutes } from '../email/notices-api.js';
import { insightsRoutes } from '../insights/api.js';
import { knowledgeRoutes } from '../knowledge/api.js';
import { operationsRoutes } from '../operations/staff-api.js';
import { privacyRoutes } from '../privacy/staff-api.js';
import { realtimeRoutes } from '../realtime/api.js';
import { playgroundRoute } from '../replies/playground-api.js';
import type { ApiRoute } from './api.js';

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
