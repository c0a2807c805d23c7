import { accountRoutes, invitationRoutes, settingsRoutes } from '../accounts/triggers.js';
import { billingRoutes } from '../billing/triggers.js';
import { channelRoutes } from '../channels/triggers.js';
import { contactRoutes } from '../contacts/triggers.js';
import { conversationRoutes, inboxRoutes } from '../conversations/triggers.js';
import { marketingRoutes, noticeRoutes } from '../email/triggers.js';
import { insightsRoutes } from '../insights/triggers.js';
import { knowledgeRoutes } from '../knowledge/triggers.js';
import { operationsRoutes } from '../operations/triggers.js';
import { privacyRoutes } from '../privacy/triggers.js';
import { realtimeRoutes } from '../realtime/triggers.js';
import { playgroundRoute } from '../replies/triggers.js';
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
