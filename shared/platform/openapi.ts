import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { ApiRoute } from './api.js';
import { PROBLEM_BASE } from './problem.js';

/** RFC 9457 problem details, as every error of the API answers. */
export const problemSchema = z
  .object({
    type: z.string().describe(`A stable URI per kind of error, under ${PROBLEM_BASE}`),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

const STANDARD_ERRORS: Record<number, string> = {
  400: 'The request is not valid (see errors for each field)',
  401: 'Missing or invalid access token',
  403: 'The role or MFA level is not enough',
  404: 'No such resource in your tenant',
  409: 'Conflict with the current state',
  413: 'The body is too large',
  415: 'The body is not JSON',
  429: 'Too many requests; see Retry-After',
};

/** Builds the OpenAPI 3.1 document from the routes' own zod schemas. */
export function buildOpenApi(routes: ApiRoute[], serverUrl: string): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const route of routes) {
    const errors = [...new Set([...(route.anonymous ? [] : [401, 403, 429]), ...(route.params || route.query || route.body ? [400] : []), ...(route.body ? [413, 415] : []), ...(route.errors ?? [])])];
    registry.registerPath({
      method: route.method.toLowerCase() as 'get',
      path: `/api/${route.path.replace(/\{(\w+)(:[^}]*)?\??\}/g, '{$1}')}`,
      operationId: route.name,
      summary: route.summary,
      tags: [route.tag],
      ...(route.anonymous ? {} : { security: [{ bearer: [] }], description: `Roles: ${route.roles.join(', ')}.` }),
      request: {
        ...(route.params ? { params: route.params as z.ZodObject } : {}),
        ...(route.query ? { query: route.query as z.ZodObject } : {}),
        ...(route.body ? { body: { content: { 'application/json': { schema: route.body } }, required: true } } : {}),
      },
      responses: {
        [route.response.status]: {
          description: route.response.description,
          ...(route.response.schema ? { content: { 'application/json': { schema: route.response.schema } } } : {}),
        },
        ...Object.fromEntries(errors.map((status) => [status, { description: STANDARD_ERRORS[status] ?? 'Error', content: { 'application/problem+json': { schema: problemSchema } } }])),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Aliat dashboard API', version: '1.0.0', description: 'The API the Aliat dashboard calls. Errors are application/problem+json (RFC 9457).' },
    servers: [{ url: serverUrl }],
  });
}
