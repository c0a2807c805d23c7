import { createHash } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import { clientAddress } from './client-ip.js';
import { withCors } from './cors.js';
import { httpFunction, readJson } from './http.js';
import { idempotencyId, once, requestHash, sealingKey, validIdempotencyKey } from './idempotency.js';
import { cosmosIdempotencyRepository } from './idempotency-repository.js';
import { withLogContext } from './log.js';
import { authenticate, type Principal, type Role } from './principal.js';
import { problems } from './problem.js';
import { RateLimiter } from './rate-limit.js';
import type { Runtime, RuntimeSource } from './runtime.js';

/** What a dashboard API handler receives: a verified principal and validated input. */
export interface ApiContext<P, Q, B> {
  rt: Runtime;
  principal: Principal;
  /** The caller's tenant; every query a handler makes is scoped to it. */
  tenantId: string;
  params: P;
  query: Q;
  body: B;
  request: HttpRequest;
  /** Where the call came from, for the audit log. */
  /** The caller's address from the trusted proxy hop, validated as an IP; absent when there is none. */
  ip?: string;
}

/** A handler's answer: status and body; a body of undefined means no content. */
export interface ApiResult {
  status: number;
  body?: unknown;
  /** Bytes to send as they are (downloads), with their content-type in headers. */
  raw?: Buffer;
  headers?: Record<string, string>;
}

/** One dashboard API route. The same zod schemas validate requests and generate the OpenAPI document. */
/** The response headers a route may declare, with what each says. */
export const RESPONSE_HEADERS = {
  Location: 'Where the resource made or started is read',
  ETag: 'The version of the entry, the value If-Match takes ("3")',
} as const;

export interface ApiRoute<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  /** Function name, unique across the app. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Route below /api, in Azure's template syntax, e.g. `v1/conversations/{conversationId}`. */
  path: string;
  summary: string;
  tag: string;
  roles: Role[];
  /** No token at all (the OpenAPI document, unsubscribe links). */
  anonymous?: boolean;
  /** Accepts a verified token that has no tenant yet (sign-up). */
  signup?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** Largest body accepted, in bytes. */
  maxBodyBytes?: number;
  response: {
    status: number;
    description: string;
    schema?: z.ZodType /** Media types of a download answered as raw bytes. */;
    raw?: string[];
    /** Headers the answer carries, as OpenAPI documents them (a generated client reads only what is declared). */
    headers?: Array<keyof typeof RESPONSE_HEADERS>;
  };
  /** A longer explanation for the OpenAPI document. */
  description?: string;
  /** The request body as OpenAPI describes it, when it is not plain JSON (uploads). */
  requestBody?: { content: Record<string, { schema: z.ZodType }>; required?: boolean; description?: string };
  /** Request headers the route reads, besides Idempotency-Key, as OpenAPI documents them. */
  headers?: z.ZodObject;
  /** Problem statuses worth documenting besides 400/401/403/429. */
  errors?: number[];
  handler: (ctx: ApiContext<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<ApiResult>;
}

/** Defines a route with its types inferred from its schemas. */
export function defineRoute<
  P extends z.ZodType = z.ZodObject,
  Q extends z.ZodType = z.ZodObject,
  B extends z.ZodType = z.ZodUnknown,
>(route: ApiRoute<P, Q, B>): ApiRoute<P, Q, B> {
  return route;
}

/**
 * The role a token's holder has in its tenant now, read from the store on every call; undefined when
 * the tenant is gone or being deleted or the person is no longer a member. A token lives for an hour
 * and carries the tenant and role of its login: this is what keeps a deletion, a removal or a role
 * change from waiting for it to expire. The accounts slice implements it; the composition root passes it.
 */
export type AccessCheck = (rt: Runtime, who: { sub: string; tenantId: string }) => Promise<Role | undefined>;

let limiter: { perMinute: number; limiter: RateLimiter } | undefined;
let anonymousLimiter: { perMinute: number; limiter: RateLimiter } | undefined;

function rateLimiter(rt: Runtime): RateLimiter {
  const perMinute = rt.settings.API_RATE_LIMIT_PER_MINUTE;
  if (limiter?.perMinute !== perMinute) limiter = { perMinute, limiter: new RateLimiter(perMinute) };
  return limiter.limiter;
}

/** Anonymous routes (subscribe, unsubscribe) are limited per route and client address. */
function anonymousRateLimiter(rt: Runtime): RateLimiter {
  const perMinute = rt.settings.ANONYMOUS_RATE_LIMIT_PER_MINUTE;
  if (anonymousLimiter?.perMinute !== perMinute) anonymousLimiter = { perMinute, limiter: new RateLimiter(perMinute) };
  return anonymousLimiter.limiter;
}

function parseOrProblem<T extends z.ZodType>(
  schema: T | undefined,
  value: unknown,
  where: 'query' | 'path',
): z.infer<T> {
  if (!schema) return {} as z.infer<T>;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw problems.invalidParameters(where, parsed.error, schema, value);
}

/**
 * Builds the function handler for a route: CORS, authenticate, rate-limit, check the tenant and
 * membership (`access`), authorize, validate, run. The rate limit comes before the check, so a flood
 * of calls costs no store reads.
 */
export function apiHandler(runtimeOf: RuntimeSource, route: ApiRoute, access: AccessCheck) {
  return withCors(
    runtimeOf,
    httpFunction(async (request): Promise<HttpResponseInit> => {
      const rt = runtimeOf();
      const ip = clientAddress(request.headers.get('x-forwarded-for'), rt.settings.TRUSTED_PROXY_HOPS);
      let principal: Principal = route.anonymous
        ? { sub: 'anonymous', role: 'agent', mfa: false }
        : await authenticate(request.headers.get('authorization'), rt.settings, { signup: route.signup });
      if (!route.anonymous) {
        const wait = rateLimiter(rt).take(principal.tenantId ?? `staff:${principal.sub}`);
        if (wait > 0) throw problems.tooManyRequests(wait);
        if (principal.tenantId) principal = await withCurrentRole(rt, access, principal, principal.tenantId);
        if (!route.roles.includes(principal.role))
          throw problems.forbidden(`This needs the role ${route.roles.join(' or ')}.`);
        // §10: staff operations require multi-factor authentication.
        if (principal.role === 'staff' && !principal.mfa)
          throw problems.forbidden('Staff operations require multi-factor authentication.');
      } else {
        const wait = anonymousRateLimiter(rt).take(`${route.name}:${ip ?? 'unknown'}`);
        if (wait > 0) throw problems.tooManyRequests(wait);
      }
      const params = parseOrProblem(route.params, request.params, 'path');
      const query = parseOrProblem(route.query, queryObject(request.query), 'query');
      const body = route.body ? await readJson(request, route.body, route.maxBodyBytes ?? 64 * 1024) : undefined;
      const tenantId = principal.tenantId ?? '';
      const key = route.method === 'POST' ? request.headers.get('idempotency-key') : null;
      if (key !== null && !validIdempotencyKey(key))
        throw problems.badRequest('Idempotency-Key must be 1 to 200 printable ASCII characters.', [
          { field: 'header.Idempotency-Key', message: 'invalid' },
        ]);
      return withLogContext({ tenantId: tenantId || undefined }, async () => {
        const run = () => route.handler({ rt, principal, tenantId, params, query, body, request, ip });
        // A POST with Idempotency-Key runs once per key: a double click or a retry gets the first answer.
        const result: ApiResult = key
          ? await once(
              cosmosIdempotencyRepository(rt.cosmos),
              idempotencyRecord(tenantId || `sub:${subjectHash(principal.sub)}`, route.name, key),
              requestHash([route.name, params, query, body]),
              rt.clock.now(),
              run,
            )
          : await run();
        if (result.raw) return { status: result.status, headers: result.headers, body: result.raw };
        if (result.body === undefined) return { status: result.status, headers: result.headers };
        return {
          status: result.status,
          headers: { 'content-type': 'application/json', ...result.headers },
          body: JSON.stringify(result.body),
        };
      });
    }),
  );
}

/** The principal with the role its membership has now; 401 no-account when the tenant or membership is gone. */
async function withCurrentRole(rt: Runtime, access: AccessCheck, principal: Principal, tenantId: string) {
  const role = await access(rt, { sub: principal.sub, tenantId });
  if (!role)
    throw problems.noAccount(
      'This token is for an Aliat account it no longer opens (the account is being deleted, or this person was removed from it): sign in again for a fresh token.',
    );
  return { ...principal, role };
}

/** Where a key's record lives, what scope erasure finds it by, and the key that seals its answer. */
function idempotencyRecord(scope: string, routeName: string, key: string) {
  return { id: idempotencyId(scope, routeName, key), scope, sealKey: sealingKey(scope, routeName, key) };
}

const subjectHash = (sub: string) => createHash('sha256').update(sub).digest('base64url');

/** The Azure Functions options for a route. */
export function httpOptions(runtimeOf: RuntimeSource, route: ApiRoute, access: AccessCheck) {
  return {
    route: route.path,
    methods: [route.method],
    authLevel: 'anonymous' as const,
    handler: apiHandler(runtimeOf, route, access),
  };
}

/**
 * The query string as an object. No route takes a list in its query, so a parameter given twice
 * ("?kind=faq&kind=service") is a 400 that says so, instead of the last one silently winning.
 */
function queryObject(params: URLSearchParams): Record<string, string> {
  const repeated = [...new Set(params.keys())].filter((key) => params.getAll(key).length > 1);
  if (repeated.length > 0)
    throw problems.badRequest(
      'A query parameter was given more than once.',
      repeated.map((key) => ({ field: `query.${key}`, message: 'given more than once' })),
    );
  return Object.fromEntries(params.entries());
}
