import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { ApiRoute } from './api.js';
import { preflight } from './cors.js';
import { HttpProblem, problemResponse } from './problem.js';
import type { RuntimeSource } from './runtime.js';

/** Pure: whether an Azure route template (`v1/conversations/{conversationId}`) matches a path below /api. */
export function templateMatches(template: string, path: string): boolean {
  const t = template.split('/').filter(Boolean);
  const p = path.split('/').filter(Boolean);
  return t.length === p.length && t.every((seg, i) => seg.startsWith('{') || seg.toLowerCase() === p[i]?.toLowerCase());
}

/**
 * Everything under /api/v1 that no route took: CORS preflights (the Functions host has no other way
 * to answer OPTIONS; in Azure the platform's CORS answers them first), 405 for a known path with
 * another method, and 404 problem+json for the rest, so a client always gets a readable error.
 */
export function fallbackHandler(runtimeOf: RuntimeSource, routes: ApiRoute[]) {
  return async (request: HttpRequest): Promise<HttpResponseInit> => {
    if (request.method === 'OPTIONS' && request.headers.get('access-control-request-method')) {
      return preflight(
        request.headers.get('origin'),
        request.headers.get('access-control-request-method'),
        request.headers.get('access-control-request-headers'),
        runtimeOf().settings.DASHBOARD_ORIGINS,
      );
    }
    const path = `v1/${request.params.path ?? ''}`;
    const methods = routes.filter((r) => templateMatches(r.path, path)).map((r) => r.method);
    if (methods.length > 0) {
      return problemResponse(
        new HttpProblem(
          405,
          'method-not-allowed',
          'Method not allowed',
          `${request.method} is not allowed here; use ${methods.join(', ')}.`,
          undefined,
          { allow: methods.join(', ') },
        ),
      );
    }
    return problemResponse(
      new HttpProblem(404, 'no-such-route', 'No such route', `There is no route ${request.method} /api/${path}.`),
    );
  };
}
