import type { HttpResponseInit } from '@azure/functions';
import { API_ROUTES } from './api-catalog.js';
import { json } from './http.js';
import { buildOpenApi } from './openapi.js';
import { runtime } from './runtime.js';

let document: unknown;

/** GET /api/v1/openapi.json: the OpenAPI 3.1 document, generated from the routes' zod schemas. */
export async function openApiHandler(): Promise<HttpResponseInit> {
  document ??= buildOpenApi(API_ROUTES, runtime().settings.PUBLIC_BASE_URL);
  return json(200, document, { 'cache-control': 'public, max-age=300' });
}
