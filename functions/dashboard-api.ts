import { app } from '@azure/functions';
import { httpOptions } from '../shared/platform/api.js';
import { withCors } from '../shared/platform/cors.js';
import { fallbackHandler } from '../shared/platform/fallback-route.js';
import { httpFunction } from '../shared/platform/http.js';
import { openApiHandler } from '../shared/platform/openapi-handler.js';
import { API_ROUTES } from './api-routes.js';
import { appRuntime } from './runtime.js';

// Every /api/v1 route: each definition carries its path, method, roles and schemas (see
// functions/api-routes.ts), and the OpenAPI document is generated from the same list.
for (const route of API_ROUTES) app.http(route.name, httpOptions(appRuntime, route));

app.http('v1-openapi', {
  route: 'v1/openapi.json',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: withCors(appRuntime, httpFunction(openApiHandler(appRuntime, API_ROUTES))),
});

// The least specific route under v1: CORS preflights, and problem+json for unknown routes.
app.http('v1-fallback', {
  route: 'v1/{*path}',
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'],
  authLevel: 'anonymous',
  handler: withCors(appRuntime, httpFunction(fallbackHandler(appRuntime, API_ROUTES))),
});
