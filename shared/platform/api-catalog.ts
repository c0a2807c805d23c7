import { knowledgeRoutes } from '../knowledge/api.js';
import { playgroundRoute } from '../replies/playground-api.js';
import type { ApiRoute } from './api.js';

/** Every dashboard API route, in the order the OpenAPI document lists them. */
export const API_ROUTES: ApiRoute[] = [...(knowledgeRoutes as ApiRoute[]), playgroundRoute as ApiRoute];
