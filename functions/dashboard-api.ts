import { app } from '@azure/functions';
import { memberAccess } from '../shared/accounts/triggers.js';
import { httpOptions } from '../shared/platform/api.js';
import { withCors } from '../shared/platform/cors.js';
import { fallbackHandler } from '../shared/platform/fallback-route.js';
import { httpFunction } from '../shared/platform/http.js';
import { openApiHandler } from '../shared/platform/openapi-handler.js';
import { API_ROUTES } from './api-routes.js';
import { appRuntime } from './runtime.js';

// Every /api/v1 route: each definition carries its path, method, roles and schemas (see
// functions/api-routes.ts), and the OpenAPI document is generated from the same list. Every call
// with a tenant is checked against the tenant and its membership as they are now (memberAccess).
for (const route of API_ROUTES) app.http(route.name, httpOptions(appRuntime, route, memberAccess));

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
