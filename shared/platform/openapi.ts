import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { type ApiRoute, RESPONSE_HEADERS } from './api.js';
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
  405: 'The path exists but not with this method',
  410: 'Gone: the link or invitation can no longer be used',
  413: 'The body is too large',
  415: 'The body is not JSON',
  422: 'Understood but refused (for example an Idempotency-Key reused for another request)',
  429: 'Too many requests; see Retry-After',
  503: 'A dependency is not configured or not available',
};

/** Extra schemas clients need that no route returns directly (the live inbox events). */
const extraSchemas: z.ZodType[] = [];

/** Registers a schema as a component of the document (for example the realtime events). */
export function registerSchema(schema: z.ZodType): void {
  extraSchemas.push(schema);
}

/** The Idempotency-Key header every POST accepts. */
const idempotencyHeader = z.string().min(1).max(200).optional().meta({
  description:
    'Makes the POST run once per key (for 24 h): a repeat gets the first answer, with idempotency-replayed: true.',
  example: '5d1c6f0e-9a7b-4c1e-8f55-2b0f3b6d7a10',
});

/** Builds the OpenAPI 3.1 document from the routes' own zod schemas. */
export function buildOpenApi(
  routes: ApiRoute[],
  serverUrl: string,
): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const route of routes) {
    const post = route.method === 'POST' && !route.anonymous;
    const errors = [
      ...new Set([
        ...(route.anonymous ? [429] : [401, 403, 429]),
        ...(route.params || route.query || route.body || post ? [400] : []),
        ...(route.body ? [413, 415] : []),
        ...(post ? [409, 422] : []),
        ...(route.errors ?? []),
      ]),
    ];
    registry.registerPath({
      method: route.method.toLowerCase() as 'get',
      path: `/api/${route.path.replace(/\{(\w+)(:[^}]*)?\??\}/g, '{$1}')}`,
      operationId: route.name,
      summary: route.summary,
      tags: [route.tag],
      // Security is declared once at the top; anonymous routes opt out with an empty list.
      ...(route.anonymous
        ? { security: [] }
        : {
            description: `Roles: ${rolesText(route)}.${post ? ' Accepts Idempotency-Key.' : ''}${route.description ? `\n\n${route.description}` : ''}`,
          }),
      request: {
        ...(route.params ? { params: route.params as z.ZodObject } : {}),
        ...(route.query ? { query: route.query as z.ZodObject } : {}),
        ...(post || route.headers
          ? {
              headers: z.object({
                ...(post ? { 'Idempotency-Key': idempotencyHeader } : {}),
                ...(route.headers?.shape ?? {}),
              }),
            }
          : {}),
        ...(route.requestBody
          ? { body: route.requestBody }
          : route.body
            ? { body: { content: { 'application/json': { schema: route.body } }, required: true } }
            : {}),
      },
      responses: {
        [route.response.status]: {
          description: route.response.description,
          ...(route.response.headers || post ? { headers: successHeaders(route.response.headers ?? [], post) } : {}),
          ...(route.response.raw
            ? {
                content: Object.fromEntries(
                  route.response.raw.map((type) => [type, { schema: z.string().meta({ format: 'binary' }) }]),
                ),
              }
            : {}),
          ...(route.response.schema ? { content: { 'application/json': { schema: route.response.schema } } } : {}),
        },
        ...Object.fromEntries(
          errors.map((status) => [
            status,
            {
              description: STANDARD_ERRORS[status] ?? 'Error',
              ...(status === 429 || status === 409 ? { headers: z.object({ 'Retry-After': retryAfterHeader }) } : {}),
              content: { 'application/problem+json': { schema: problemSchema } },
            },
          ]),
        ),
      },
    });
  }
  // Each extra schema carries its component id in its zod meta, so it is added as it is.
  const definitions = [...registry.definitions, ...extraSchemas.map((schema) => ({ type: 'schema' as const, schema }))];
  return new OpenApiGeneratorV31(definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Aliat dashboard API',
      version: '1.0.0',
      description:
        'The API the Aliat dashboard calls. Errors are application/problem+json (RFC 9457). Every time is an ISO 8601 string in UTC. Live events: POST /api/v1/realtime/negotiate, then RealtimeEvent messages over Web PubSub.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
  });
}

const retryAfterHeader = z
  .string()
  .optional()
  .meta({ description: 'Seconds until the same request may succeed (always on 429; on a 409 that has a time)' });

/** A success answer's headers: those the route declares, and on a POST whether it replays an earlier answer. */
function successHeaders(declared: Array<keyof typeof RESPONSE_HEADERS>, post: boolean) {
  return z.object({
    ...Object.fromEntries(
      declared.map((name) => [name, z.string().optional().meta({ description: RESPONSE_HEADERS[name] })]),
    ),
    ...(post
      ? {
          'idempotency-replayed': z.literal('true').optional().meta({
            description: 'Present when this is the stored answer to an earlier request with the same Idempotency-Key',
          }),
        }
      : {}),
  });
}

/** Who may call a route, in words; sign-up is called before its caller has any role. */
function rolesText(route: ApiRoute): string {
  return route.signup
    ? 'none yet (a signed-in person whose token names no account; one who has an account gets 409)'
    : route.roles.join(', ');
}
