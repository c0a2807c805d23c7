import type { HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import { type ConflictError, DomainError } from './domain-errors.js';

/** Base of every problem `type` URI we emit; the suffix is stable per kind of error. */
export const PROBLEM_BASE = 'https://aliat.app/problems/';

/** One field-level complaint inside a problem. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An RFC 9457 problem that a handler throws and the HTTP wrapper turns into a response. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = 'HttpProblem';
  }
}

/** Builds the problem+json response for a problem. */
export function problemResponse(problem: HttpProblem): HttpResponseInit {
  return {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json', ...problem.headers },
    body: JSON.stringify({
      type: `${PROBLEM_BASE}${problem.kind}`,
      title: problem.title,
      status: problem.status,
      ...(problem.detail ? { detail: problem.detail } : {}),
      ...(problem.errors ? { errors: problem.errors } : {}),
    }),
  };
}

/**
 * Turns a zod error into field problems (`field` is the dotted path). A value that fits none of a
 * union's shapes is reported by the shape it came closest to (fewest problems), field by field, rather
 * than as one "Invalid input" on the whole value.
 */
export function fieldProblems(error: z.ZodError, schema?: z.ZodType, value?: unknown): FieldProblem[] {
  const issues = issuesOf(error.issues, []);
  // A value of the wrong type is that one problem: its length or range checked as if it were right says nothing.
  const mistyped = new Set(issues.filter((i) => i.code === 'invalid_type').map((i) => i.path.map(String).join('.')));
  const all = issues.flatMap((issue) => {
    if (issue.code !== 'invalid_type' && mistyped.has(issue.path.map(String).join('.'))) return [];
    const path = issue.path.map(String).join('.');
    // One problem per unknown key, each named where it is ("data.id"), never the keys joined as one path.
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
      const known = schema && fieldsAt(schema, value, issue.path);
      const message = known ? `Unrecognized key; the fields here are: ${known.join(', ')}` : 'Unrecognized key';
      return issue.keys.map((key) => ({ field: [path, key].filter(Boolean).join('.'), message }));
    }
    return [{ field: path || '(body)', message: plainMessage(issue) }];
  });
  // A body of thousands of bad keys gets a bounded answer, never one larger than it.
  if (all.length <= MAX_FIELD_PROBLEMS) return all;
  return [
    ...all.slice(0, MAX_FIELD_PROBLEMS),
    { field: '(body)', message: `${all.length - MAX_FIELD_PROBLEMS} more problems not listed` },
  ];
}

const MAX_FIELD_PROBLEMS = 50;

/**
 * The fields an object of the schema has at `path` of the value, or undefined where the path does not lead to one
 * object shape. A union is followed by its discriminator's value ("kind": "faq"), never guessed.
 */
function fieldsAt(schema: z.ZodType, value: unknown, path: readonly PropertyKey[]): string[] | undefined {
  const def = (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
  const here = value as Record<PropertyKey, unknown> | undefined;
  if (def.innerType) return fieldsAt(def.innerType, value, path);
  if (def.type === 'union' && def.discriminator && def.options) {
    const tag = here?.[def.discriminator];
    const option = def.options.find((o) => {
      const literal = (o as unknown as { _zod: { def: ZodDef } })._zod.def.shape?.[def.discriminator as string];
      return (literal as unknown as { _zod: { def: ZodDef } } | undefined)?._zod.def.values?.includes(tag);
    });
    return option && fieldsAt(option, value, path);
  }
  if (def.type === 'array' && def.element && path.length > 0)
    return fieldsAt(def.element, (value as unknown[] | undefined)?.[Number(path[0])], path.slice(1));
  // A record keyed by a list of names ("mon" … "sun") has those names as its fields.
  if (def.type === 'record' && def.keyType) {
    const names = (def.keyType as unknown as { _zod: { def: ZodDef } })._zod.def.entries;
    if (path.length === 0) return names && Object.values(names).map(String);
    return def.valueType && fieldsAt(def.valueType, here?.[path[0] as string], path.slice(1));
  }
  if (def.type !== 'object' || !def.shape) return undefined;
  if (path.length === 0) return Object.keys(def.shape);
  const [first, ...rest] = path;
  const field = def.shape[String(first)];
  return field && fieldsAt(field, here?.[first as string], rest);
}

/** The parts of zod's schema definitions that `fieldsAt` reads. */
interface ZodDef {
  type: string;
  innerType?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, string | number>;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  discriminator?: string;
  element?: z.ZodType;
  values?: unknown[];
}

/** The kinds of value zod names, as a person would: "must be text", "must be a whole number". */
const KIND_OF: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/**
 * Zod's own messages in words a frontend developer can show ("must not be empty", "must be one of: service, faq");
 * a message the schema wrote itself ("a three-letter ISO 4217 code…") is kept as written.
 */
const FORMATS: Record<string, string> = {
  email: 'must be an e-mail address',
  datetime: 'must be a date and time in ISO 8601, such as 2026-12-07T10:00:00Z',
  date: 'must be a date in ISO 8601, such as 2026-12-07',
  // A pattern without a message of its own is an id or a code: its form is the server's business, not the message's.
  regex: 'is not in the form this field takes',
};

function plainMessage(issue: z.core.$ZodIssue): string {
  const { message } = issue;
  const discriminator = /^Invalid discriminator value\. Expected (.+)$/.exec(message)?.[1];
  if (discriminator) return `must be one of: ${discriminator.replaceAll("'", '').split(' | ').join(', ')}`;
  if (!/^(?:Invalid input|Too small|Too big|Invalid option|Invalid email|Invalid ISO|Invalid string)/.test(message))
    return message;
  const bound = (limit: 'least' | 'most', origin: string, n: number | bigint) =>
    origin === 'array' || origin === 'set'
      ? `must have at ${limit} ${n} ${Number(n) === 1 ? 'item' : 'items'}`
      : `must be at ${limit} ${n}${origin === 'string' ? ` ${Number(n) === 1 ? 'character' : 'characters'}` : ''}`;
  switch (issue.code) {
    case 'invalid_type':
      return /received undefined$/.test(message)
        ? 'is required'
        : `must be ${KIND_OF[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) === 1
        ? 'must not be empty'
        : bound('least', issue.origin, issue.minimum);
    case 'too_big':
      return bound('most', issue.origin, issue.maximum);
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return FORMATS[issue.format] ?? message;
    default:
      return message;
  }
}

function issuesOf(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ ...issue, path }];
    const options = issue.errors.map((errors) => issuesOf(errors, path));
    // Fewest problems once nested unions are opened; on a tie, the first shape (the schema's preference). A
    // shape chosen by a discriminator the value lacks says nothing about it, so it comes last.
    const weight = (o: z.core.$ZodIssue[]) =>
      o.every((i) => i.code === 'invalid_union' && i.errors.length === 0) ? Number.POSITIVE_INFINITY : o.length;
    return options.reduce((best, next) => (weight(next) < weight(best) ? next : best));
  });
}

export const problems = {
  /** A 400 that names its fields is a `validation` problem, as a body that does not fit its schema is. */
  badRequest: (detail: string, errors?: FieldProblem[]) =>
    new HttpProblem(400, errors?.length ? 'validation' : 'bad-request', 'The request is not valid', detail, errors),
  validation: (error: z.ZodError, schema?: z.ZodType, value?: unknown) =>
    new HttpProblem(
      400,
      'validation',
      'The request body is not valid',
      'See errors for each field.',
      fieldProblems(error, schema, value),
    ),
  /** The query string or the path does not fit its schema: each parameter named as `query.limit`, in words. */
  invalidParameters: (where: 'query' | 'path', error: z.ZodError, schema?: z.ZodType, value?: unknown) =>
    new HttpProblem(
      400,
      'validation',
      `The request ${where === 'query' ? 'query string' : 'path'} is not valid`,
      'See errors for each parameter.',
      fieldProblems(error, schema, value).map((p) => ({
        ...p,
        field: p.field === '(body)' ? where : `${where}.${p.field}`,
      })),
    ),
  /**
   * 401 with the challenge RFC 9110 requires, as RFC 6750 words it for bearer tokens: no error code
   * when no token was sent, `invalid_token` when the one sent is bad.
   */
  unauthorized: (detail: string, error?: 'invalid_request' | 'invalid_token') =>
    new HttpProblem(401, 'unauthorized', 'Authentication failed', detail, undefined, {
      'WWW-Authenticate': `Bearer realm="aliat"${error ? `, error="${error}", error_description="${detail.replace(/["\\\r\n]/g, '')}"` : ''}`,
    }),
  /**
   * A valid sign-in of a person with no Aliat account (yet, or any more: deleted, or removed from it): a
   * 401 of its own type, so a dashboard signs in again and shows sign-up when the fresh token names no tenant.
   */
  noAccount: (
    detail = 'This sign-in has no Aliat account yet: create one with POST /api/v1/account, then get a fresh token.',
  ) =>
    new HttpProblem(401, 'no-account', 'No account yet', detail, undefined, {
      'WWW-Authenticate': 'Bearer realm="aliat"',
    }),
  forbidden: (detail: string) => new HttpProblem(403, 'forbidden', 'Not allowed', detail),
  notFound: (what = 'resource') => new HttpProblem(404, 'not-found', 'Not found', `No such ${what}.`),
  conflict: (detail: string) => new HttpProblem(409, 'conflict', 'Conflict', detail),
  tooLarge: (limit: number) =>
    new HttpProblem(413, 'payload-too-large', 'The body is too large', `The limit is ${limit} bytes.`),
  unsupportedMediaType: (expected: string) =>
    new HttpProblem(415, 'unsupported-media-type', 'Unsupported media type', `Send ${expected}.`),
  tooManyRequests: (retryAfterSeconds: number) =>
    new HttpProblem(429, 'rate-limited', 'Too many requests', `Retry after ${retryAfterSeconds} s.`, undefined, {
      'retry-after': String(retryAfterSeconds),
    }),
  unavailable: (detail: string) => new HttpProblem(503, 'unavailable', 'Service unavailable', detail),
};

/**
 * The one place a domain error becomes HTTP. A closed window is 422: the request is understood, but
 * Meta's rules forbid it now.
 */
export function problemOfDomainError(error: DomainError): HttpProblem {
  switch (error.kind) {
    case 'not-found':
      return new HttpProblem(404, 'not-found', 'Not found', error.message);
    case 'invalid':
      return problems.badRequest(error.message, (error as DomainError & { errors?: FieldProblem[] }).errors);
    case 'forbidden':
      return problems.forbidden(error.message);
    case 'window-closed':
      return new HttpProblem(422, 'messaging-window-closed', 'The messaging window is closed', error.message);
    case 'refused':
      return new HttpProblem(422, error.problem?.type ?? 'refused', error.problem?.title ?? 'Refused', error.message);
    case 'gone':
      return new HttpProblem(410, error.problem?.type ?? 'gone', error.problem?.title ?? 'Gone', error.message);
    case 'conflict': {
      const retryAfter = (error as ConflictError).retryAfterSeconds;
      return new HttpProblem(
        409,
        error.problem?.type ?? 'conflict',
        error.problem?.title ?? 'Conflict',
        error.message,
        undefined,
        retryAfter ? { 'retry-after': String(retryAfter) } : undefined,
      );
    }
  }
}

/** Any thrown value that has a problem answer: an HttpProblem, a DomainError or a ZodError. */
export function problemOf(error: unknown): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (error instanceof DomainError) return problemOfDomainError(error);
  if (isZodError(error)) return problems.validation(error);
  return undefined;
}

function isZodError(error: unknown): error is z.ZodError {
  return error instanceof Error && error.name === 'ZodError' && Array.isArray((error as { issues?: unknown }).issues);
}
