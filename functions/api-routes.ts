import { accountRoutes, invitationRoutes, settingsRoutes } from '../shared/accounts/triggers.js';
import { billingRoutes } from '../shared/billing/triggers.js';
import { channelRoutes } from '../shared/channels/triggers.js';
import { contactRoutes } from '../shared/contacts/triggers.js';
import { conversationRoutes, inboxRoutes } from '../shared/conversations/triggers.js';
import { marketingRoutes, noticeRoutes } from '../shared/email/triggers.js';
import { insightsRoutes } from '../shared/insights/triggers.js';
import { knowledgeRoutes } from '../shared/knowledge/triggers.js';
import { operationsRoutes } from '../shared/operations/triggers.js';
import type { ApiRoute } from '../shared/platform/api.js';
import { privacyRoutes } from '../shared/privacy/triggers.js';
import { realtimeRoutes } from '../shared/realtime/triggers.js';
import { playgroundRoute } from '../shared/replies/triggers.js';

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
