import { app } from '@azure/functions';
import { httpOptions } from '../shared/platform/api.js';
import { API_ROUTES } from '../shared/platform/api-catalog.js';
import { withCors } from '../shared/platform/cors.js';
import { fallbackHandler } from '../shared/platform/fallback.js';
import { httpFunction } from '../shared/platform/http.js';
import { openApiHandler } from '../shared/platform/openapi-handler.js';

// Every /api/v1 route: each definition carries its path, method, roles and schemas (see
// shared/platform/api-catalog.ts), and the OpenAPI document is generated from the same list.
for (const route of API_ROUTES) app.http(route.name, httpOptions(route));

app.http('v1-openapi', {
  route: 'v1/openapi.json',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withCors(httpFunction(openApiHandler)),
});

// The least specific route under v1: CORS preflights, and problem+json for unknown routes.
app.http('v1-fallback', {
  route: 'v1/{*path}',
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'],
  authLevel: 'anonymous',
  handler: withCors(httpFunction(fallbackHandler(API_ROUTES))),
});
