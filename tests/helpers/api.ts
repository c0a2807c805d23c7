import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import type { LocalHost } from '../../local/host.js';

type Doc = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components?: unknown;
};

// Both packages are CommonJS with a default export; unwrap it the same way under either loader.
const Ajv2020 = (Ajv2020Module as unknown as { default: typeof Ajv2020Module }).default ?? Ajv2020Module;
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;

const docs = new WeakMap<LocalHost, Promise<Doc>>();

function openApiOf(host: LocalHost): Promise<Doc> {
  let doc = docs.get(host);
  if (!doc) {
    doc = fetch(`${host.url}/api/v1/openapi.json`).then((r) => r.json() as Promise<Doc>);
    docs.set(host, doc);
  }
  return doc;
}

function templateMatches(template: string, path: string): boolean {
  const a = template.split('/');
  const b = path.split('/');
  return a.length === b.length && a.every((seg, i) => seg.startsWith('{') || seg === b[i]);
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Calls the dashboard API and checks the response against the OpenAPI document the app serves:
 * the operation and status must be documented, and the body must match its schema.
 */
export async function api<T = any>(
  host: LocalHost,
  token: string | undefined,
  method: string,
  path: string,
  options: { body?: unknown; raw?: Buffer | string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...options.headers,
  };
  let body: Buffer | string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${host.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : undefined;
  const doc = await openApiOf(host);
  const pathOnly = path.split('?')[0] as string;
  const template = Object.keys(doc.paths).find(
    (t) => templateMatches(t, pathOnly) && doc.paths[t]?.[method.toLowerCase()],
  );
  expect(template, `${method} ${pathOnly} is documented`).toBeDefined();
  const operation = doc.paths[template as string]?.[method.toLowerCase()];
  const response = operation?.responses[String(res.status)];
  expect(response, `${method} ${pathOnly} documents status ${res.status}`).toBeDefined();
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0] as string;
  const schema = response?.content?.[contentType]?.schema;
  if (parsed !== undefined) {
    expect(schema, `${method} ${pathOnly} ${res.status} documents ${contentType}`).toBeDefined();
    const ajv = new (
      Ajv2020 as unknown as new (
        o: object,
      ) => { compile: (s: object) => ((d: unknown) => boolean) & { errors?: unknown } }
    )({ strict: false, allErrors: true });
    (addFormats as unknown as (a: unknown) => void)(ajv);
    const validate = ajv.compile({ ...(schema as object), components: doc.components });
    expect(validate(parsed), `${method} ${pathOnly} ${res.status}: ${JSON.stringify(validate.errors)}`).toBe(true);
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}
