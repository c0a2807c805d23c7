import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { HttpHandlerFn } from './http.js';
import { problemResponse, problems } from './problem.js';
import type { RuntimeSource } from './runtime.js';

/** Methods the dashboard API answers. */
export const CORS_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Request headers a browser may send: the token, JSON or multipart bodies, idempotency and tracing. */
export const CORS_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'idempotency-key',
  'if-match',
  'x-correlation-id',
];
/** Response headers a browser script may read. */
export const CORS_EXPOSED_HEADERS = [
  'x-correlation-id',
  'retry-after',
  'location',
  'idempotency-replayed',
  'content-disposition',
  'etag',
];
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;

/**
 * Pure: the CORS headers for an actual response to `origin`, or none when the origin is not a
 * dashboard origin. Credentials are never allowed: the API takes a bearer token, not cookies.
 */
export function corsHeaders(origin: string | null, allowed: readonly string[]): Record<string, string> {
  if (!origin || !allowed.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(', '),
    vary: 'Origin',
  };
}

/** Pure: the answer to a preflight (OPTIONS with Access-Control-Request-Method). */
export function preflight(
  origin: string | null,
  requestMethod: string | null,
  requestHeaders: string | null,
  allowed: readonly string[],
): HttpResponseInit {
  const asked = (requestHeaders ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const refused =
    !origin || !allowed.includes(origin)
      ? 'This origin is not a dashboard origin.'
      : !requestMethod || !CORS_METHODS.includes(requestMethod.toUpperCase())
        ? `The method ${requestMethod ?? '(none)'} is not allowed.`
        : asked.find((h) => !CORS_REQUEST_HEADERS.includes(h))
          ? `The header ${asked.find((h) => !CORS_REQUEST_HEADERS.includes(h))} is not allowed.`
          : undefined;
  // A refused preflight carries no CORS headers, so the browser blocks the call; the body says why for people.
  if (refused) return problemResponse(problems.forbidden(refused));
  return {
    status: 204,
    headers: {
      'access-control-allow-origin': origin as string,
      'access-control-allow-methods': CORS_METHODS.join(', '),
      'access-control-allow-headers': CORS_REQUEST_HEADERS.join(', '),
      'access-control-max-age': String(PREFLIGHT_MAX_AGE),
      vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    },
  };
}

/** Wraps a dashboard API handler so that its answers, errors included, carry CORS headers for dashboard origins. */
export function withCors(runtimeOf: RuntimeSource, handler: HttpHandlerFn): HttpHandlerFn {
  return async (request: HttpRequest, context) => {
    const response = await handler(request, context);
    // A preflight's answer carries its own headers, or none when refused.
    if (request.method === 'OPTIONS') return response;
    const headers = corsHeaders(request.headers.get('origin'), runtimeOf().settings.DASHBOARD_ORIGINS);
    return { ...response, headers: { ...(response.headers as Record<string, string>), ...headers } };
  };
}
