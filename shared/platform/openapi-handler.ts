import type { HttpResponseInit } from '@azure/functions';
import type { ApiRoute } from './api.js';
import { json } from './http.js';
import { buildOpenApi } from './openapi.js';
import type { RuntimeSource } from './runtime.js';

/** GET /api/v1/openapi.json: the OpenAPI 3.1 document, generated from the routes' zod schemas once. */
export function openApiHandler(runtimeOf: RuntimeSource, routes: ApiRoute[]) {
  let document: unknown;
  return async (): Promise<HttpResponseInit> => {
    document ??= buildOpenApi(routes, runtimeOf().settings.PUBLIC_BASE_URL);
    return json(200, document, { 'cache-control': 'public, max-age=300' });
  };
}
