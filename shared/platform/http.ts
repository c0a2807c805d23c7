import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { log, withLogContext } from './log.js';
import { HttpProblem, problemOf, problemResponse, problems } from './problem.js';

export type HttpHandlerFn = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

/** The correlation id of a request: the caller's `x-correlation-id`, else a new one. */
export function correlationIdOf(request: HttpRequest): string {
  const given = request.headers.get('x-correlation-id');
  return given && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
}

/**
 * Wraps an HTTP handler: log context with the correlation id, problem+json for thrown problems,
 * and a bare 500 problem (details only in the log, by type) for anything unexpected.
 */
export function httpFunction(handler: HttpHandlerFn): HttpHandlerFn {
  return async (request, context) => {
    const correlationId = correlationIdOf(request);
    return withLogContext(
      { correlationId, invocationId: context.invocationId, functionName: context.functionName },
      async () => {
        try {
          const response = await handler(request, context);
          return {
            ...response,
            headers: { 'x-correlation-id': correlationId, ...(response.headers as Record<string, string>) },
          };
        } catch (error) {
          const problem = problemOf(error);
          if (problem) {
            if (problem.status >= 500) log.error('http.problem', { status: problem.status, kind: problem.kind });
            const response = problemResponse(problem);
            return {
              ...response,
              headers: { 'x-correlation-id': correlationId, ...(response.headers as Record<string, string>) },
            };
          }
          log.error('http.unhandled', { error });
          const response = problemResponse(
            new HttpProblem(500, 'internal', 'Internal error', `Correlation id ${correlationId}.`),
          );
          return {
            ...response,
            headers: { 'x-correlation-id': correlationId, ...(response.headers as Record<string, string>) },
          };
        }
      },
    );
  };
}

/** Reads the raw body, refusing with 413 anything over `limitBytes` (declared or actual). */
export async function readRawBody(request: HttpRequest, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limitBytes) throw problems.tooLarge(limitBytes);
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > limitBytes) throw problems.tooLarge(limitBytes);
  return body;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads and validates a JSON body with a zod schema; every failure is a 4xx problem naming the field. */
export async function readJson<T extends z.ZodType>(
  request: HttpRequest,
  schema: T,
  limitBytes = 64 * 1024,
): Promise<z.infer<T>> {
  const raw = await readRawBody(request, limitBytes);
  // No body at all is an empty object, so the answer names each field that is required ("confirm: is required").
  if (raw.length === 0) return parsedBody(schema, {});
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw problems.unsupportedMediaType('application/json');
  let text: string;
  try {
    // Fatal decoding: bytes that are not UTF-8 are refused, never stored as U+FFFD (RFC 8259 §8.1).
    text = utf8.decode(raw);
  } catch {
    throw problems.badRequest('The body is not valid UTF-8.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw problems.badRequest('The body is not valid JSON.');
  }
  return parsedBody(schema, parsed);
}

function parsedBody<T extends z.ZodType>(schema: T, parsed: unknown): z.infer<T> {
  const result = schema.safeParse(parsed);
  if (!result.success) throw problems.validation(result.error, schema, parsed);
  return result.data;
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}
