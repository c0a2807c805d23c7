import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { oddString, type Schema, type SchemaArbitraries } from './schema-arbitraries.js';

/** Who may call an operation, read from the OpenAPI document (`security: []`, or "Roles: …" in its description). */
export type Caller = 'anonymous' | 'staff' | 'member';

/** One operation of the OpenAPI document, as the fuzz suite needs it. */
export interface Operation {
  id: string;
  method: string;
  /** `/api/v1/conversations/{conversationId}` */
  template: string;
  caller: Caller;
  pathParams: Array<{ name: string; schema: Schema }>;
  queryParams: Array<{ name: string; schema: Schema; required: boolean }>;
  /** Media type → schema of the request body, when there is one. */
  body?: Record<string, Schema>;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema and OpenAPI nodes are read field by field, untyped.
type Doc = { paths: Record<string, Record<string, any>> };

/** Every operation of the document, in its order. */
export function operationsOf(doc: Doc): Operation[] {
  const list: Operation[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const parameters: Array<{ in: string; name: string; schema: Schema; required?: boolean }> = op.parameters ?? [];
      const roles = /Roles: ([^.]*)\./.exec(op.description ?? '')?.[1] ?? '';
      list.push({
        id: op.operationId,
        method: method.toUpperCase(),
        template,
        caller:
          Array.isArray(op.security) && op.security.length === 0
            ? 'anonymous'
            : roles.split(', ').includes('staff')
              ? 'staff'
              : 'member',
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema })),
        queryParams: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema, required: Boolean(p.required) })),
        body: op.requestBody
          ? Object.fromEntries(
              Object.entries(op.requestBody.content as Record<string, { schema: Schema }>).map(([type, c]) => [
                type,
                c.schema,
              ]),
            )
          : undefined,
      });
    }
  }
  return list;
}

/** A request as bytes go on the wire: the path may hold raw bytes (latin1 code points 0x80–0xff are sent as such). */
export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface WireResponse {
  status: number;
  contentType: string;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** Sends a request byte for byte (no URL normalisation, so `%zz`, `../` and raw bytes arrive as written). */
export function send(baseUrl: string, req: WireRequest): Promise<WireResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: hostname === 'localhost' ? '127.0.0.1' : hostname,
        port,
        method: req.method,
        path: req.path,
        headers: { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) },
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** Stack frames, source locations and file system paths that must never reach a client. */
const LEAKS: Array<[string, RegExp]> = [
  ['a stack frame', /\n\s+at\s|\bat\s+[\w$.<>]+\s+\((?:file:|node:|\/)/],
  ['a source location', /\.(?:[cm]?[jt]s):\d+(?::\d+)?/],
  ['a Node internal', /node:internal|node_modules/],
  ['the working directory', new RegExp(process.cwd().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))],
  ['an error class name', /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|URIError|ZodError)\b/],
];

/**
 * What is wrong with an answer to bad input: a 5xx, an error that is not problem+json, or a leak. Empty when it is
 * fine.
 */
export function answerDefects(res: WireResponse): string[] {
  const defects: string[] = [];
  if (res.status >= 500) defects.push(`status ${res.status}`);
  for (const [what, pattern] of LEAKS) if (pattern.test(res.text)) defects.push(`body shows ${what}`);
  if (res.status >= 400) {
    if (res.contentType.split(';')[0] !== 'application/problem+json')
      defects.push(`content-type "${res.contentType}" for ${res.status}`);
    let problem: { type?: unknown; title?: unknown; status?: unknown } | undefined;
    try {
      problem = JSON.parse(res.text);
    } catch {
      defects.push('body is not JSON');
    }
    if (
      problem &&
      (problem.status !== res.status ||
        typeof problem.title !== 'string' ||
        typeof problem.type !== 'string' ||
        !problem.type.startsWith('https://aliat.app/problems/'))
    ) {
      defects.push('body is not a problem with this status');
    }
  }
  return defects;
}

/** A short, printable summary of a request for failure messages. */
export function describeRequest(req: WireRequest): string {
  const path = req.path.length > 300 ? `${req.path.slice(0, 300)}… (${req.path.length} chars)` : req.path;
  const body = req.body
    ? req.body.length > 300
      ? `${JSON.stringify(req.body.subarray(0, 300).toString('latin1'))}… (${req.body.length} bytes)`
      : JSON.stringify(req.body.toString('latin1'))
    : '(none)';
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [
      k,
      k === 'authorization' ? `${v.slice(0, 12)}…` : v.length > 100 ? `${v.slice(0, 100)}…` : v,
    ]),
  );
  return `${req.method} ${JSON.stringify(path)}\nheaders: ${JSON.stringify(headers)}\nbody: ${body}`;
}

function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate has no UTF-8 form; send the bytes of one instead.
    return '%ED%A0%80';
  }
}

/**
 * Path segments as written on the wire: bad percent-encoding, encoded bytes that are not UTF-8, raw bytes, NUL,
 * slashes, long ids.
 */
export const rawSegments = [
  '%zz',
  '%',
  '%C3%28',
  '%FF%FE',
  '%ED%A0%80',
  '%F4%90%80%80',
  '%C0%AF',
  '\xff\xfe',
  '\xc3\x28',
  'cv_\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff',
  '%00',
  '%2F',
  '%2e%2e',
  '..',
  '%20',
  'x'.repeat(8_000),
];

/** Continuation tokens that are not the server's: JSON scraps, bare values, forged base64url, huge. */
export const oddTokens = [
  '-1',
  'true',
  '{}',
  '[]',
  'null',
  'garbage',
  Buffer.from('{"v":1,"t":"x"}').toString('base64url'),
  Buffer.from('{"token":"+RID:~abc==","range":{"min":"","max":"FF"}}').toString('base64'),
  `${Buffer.from('{}').toString('base64url')}.${'A'.repeat(43)}`,
  'x'.repeat(7_900),
];

/** Ids of real resources the caller can reach, by path parameter name, so that some requests get past the lookup. */
export type KnownIds = Record<string, string[]>;

function oddSegment(arbs: SchemaArbitraries, schema: Schema, known: string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: known.length ? 3 : 0, arbitrary: fc.constantFrom(...(known.length ? known : [''])).map(encodeSegment) },
    { weight: 3, arbitrary: arbs.valid(schema).map((v) => encodeSegment(String(v))) },
    { weight: 2, arbitrary: oddString.filter((s) => s.length < 2_500).map(encodeSegment) },
    { weight: 2, arbitrary: fc.constantFrom(...rawSegments) },
  );
}

function oddQueryValue(arbs: SchemaArbitraries, name: string, schema: Schema): fc.Arbitrary<string> {
  const encoded = (a: fc.Arbitrary<unknown>) =>
    a.map((v) => encodeSegment(typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined')));
  return fc.oneof(
    { weight: 3, arbitrary: encoded(arbs.valid(schema)) },
    { weight: 2, arbitrary: encoded(oddString.filter((s) => s.length < 2_500)) },
    { weight: 1, arbitrary: encoded(fc.oneof(fc.integer(), fc.double(), fc.boolean())) },
    { weight: 1, arbitrary: fc.constantFrom('%zz', '%FF', '%C3%28', '\xff', '%00', '') },
    { weight: /token|cursor/i.test(name) ? 4 : 0, arbitrary: fc.constantFrom(...oddTokens).map(encodeSegment) },
  );
}

const oddContentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/problem+json',
  'text/plain',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '\xff/json',
  '',
);
const oddIdempotencyKey = fc.constantFrom(
  '',
  ' ',
  'x'.repeat(300),
  '\xff\xfe',
  'key\tkey',
  '5d1c6f0e-9a7b-4c1e-8f55-2b0f3b6d7a10',
);
const MARK = 'FUZZMARK';
/**
 * Byte sequences that are not UTF-8: a stray continuation byte, a truncated pair, an encoded surrogate, an overlong
 * slash, NUL.
 */
export const invalidUtf8 = [
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.from([0xe2, 0x82]),
];

/** A JSON text with invalid UTF-8 bytes inside one of its string values (or in an added one). */
export function withInvalidUtf8(value: unknown, bytes: Buffer, schema: Schema): Buffer {
  const field =
    Object.entries((schema.properties ?? {}) as Record<string, Schema>).find(([, s]) => s.type === 'string')?.[0] ??
    'note';
  const object =
    value && typeof value === 'object' && !Array.isArray(value) ? { ...value, [field]: MARK } : { [field]: MARK };
  const [before, after] = JSON.stringify(object).split(MARK) as [string, string];
  return Buffer.concat([Buffer.from(before), bytes, Buffer.from(after)]);
}

const rawJsonBodies = [
  '',
  '{',
  'null',
  '[]',
  '"x"',
  '\ufeff{}',
  '{"a":1e999999}',
  '{"a":1}{"b":2}',
  '\u0000',
  '{"__proto__":{"polluted":true}}',
  `{"a":"${'\\u0000'.repeat(500)}"}`,
  `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
  `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
].map((s) => Buffer.from(s));

/** A whole bad request for an operation: odd path ids, query values and page tokens, headers and body. */
export function badRequest(
  arbs: SchemaArbitraries,
  op: Operation,
  authorization: string | undefined,
  known: KnownIds = {},
): fc.Arbitrary<WireRequest> {
  const segments = fc.tuple(...op.pathParams.map((p) => oddSegment(arbs, p.schema, known[p.name])));
  const query = fc.tuple(
    ...op.queryParams.map((p) =>
      fc.option(
        oddQueryValue(arbs, p.name, p.schema).map((v) => `${encodeSegment(p.name)}=${v}`),
        { freq: 3, nil: undefined },
      ),
    ),
    fc.option(
      fc.constantFrom('extra=1', 'limit=1&limit=2', '__proto__[x]=1', '%zz=1', '=', '&&&', `q=${'y'.repeat(5_000)}`),
      { freq: 3, nil: undefined },
    ),
  );
  const media = op.body ? Object.keys(op.body) : [];
  const jsonSchema = op.body?.['application/json'];
  const body: fc.Arbitrary<{ type?: string; bytes?: Buffer }> = !op.body
    ? fc.oneof(
        { weight: 4, arbitrary: fc.constant({}) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(...rawJsonBodies).map((bytes) => ({ type: 'application/json', bytes })),
        },
      )
    : jsonSchema
      ? fc.oneof(
          {
            weight: 6,
            arbitrary: arbs
              .body(jsonSchema)
              .map((v) => ({ type: 'application/json', bytes: Buffer.from(JSON.stringify(v) ?? 'null') })),
          },
          {
            weight: 2,
            arbitrary: fc.tuple(arbs.valid(jsonSchema), fc.constantFrom(...invalidUtf8)).map(([v, bad]) => ({
              type: 'application/json',
              bytes: withInvalidUtf8(v, bad, arbs.resolve(jsonSchema)),
            })),
          },
          {
            weight: 1,
            arbitrary: fc.constantFrom(...rawJsonBodies).map((bytes) => ({ type: 'application/json', bytes })),
          },
          {
            weight: 1,
            arbitrary: fc
              .tuple(oddContentType, arbs.valid(jsonSchema))
              .map(([type, v]) => ({ type, bytes: Buffer.from(JSON.stringify(v) ?? '') })),
          },
        )
      : fc
          .tuple(
            fc.constantFrom(...media, 'application/octet-stream'),
            fc.oneof(
              fc.uint8Array({ maxLength: 2_000 }).map((a) => Buffer.from(a)),
              fc.constantFrom(...invalidUtf8, ...rawJsonBodies),
            ),
          )
          .map(([type, bytes]) => ({ type, bytes }));
  const idempotency =
    op.method === 'POST' ? fc.option(oddIdempotencyKey, { freq: 4, nil: undefined }) : fc.constant(undefined);
  return fc.tuple(segments, query, body, idempotency).map(([segs, qs, b, key]) => {
    let i = 0;
    const path = op.template.replace(/\{\w+\}/g, () => segs[i++] as string);
    const q = qs.filter((x): x is string => x !== undefined);
    const headers: Record<string, string> = {};
    if (authorization) headers.authorization = authorization;
    if (b.type) headers['content-type'] = b.type;
    if (key !== undefined) headers['idempotency-key'] = key;
    return {
      method: op.method,
      path: q.length ? `${path}?${q.join('&')}` : path,
      headers,
      ...(b.bytes ? { body: b.bytes } : {}),
    };
  });
}
