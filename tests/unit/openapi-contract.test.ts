import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../functions/api-routes.js';
import { CORS_REQUEST_HEADERS } from '../../shared/platform/cors.js';
import { buildOpenApi } from '../../shared/platform/openapi.js';

type Node = Record<string, unknown>;
const doc = buildOpenApi(API_ROUTES, 'https://api.aliat.app') as unknown as {
  security: unknown;
  paths: Record<string, Record<string, Node>>;
  components: { schemas: Record<string, Node> };
};

/** Every property of every schema in the document whose name says it is a time. */
function timeProperties(node: unknown, path: string, out: Array<{ path: string; schema: Node }>): void {
  if (!node || typeof node !== 'object') return;
  const props = (node as { properties?: Record<string, Node> }).properties;
  for (const [name, schema] of Object.entries(props ?? {})) {
    if ((/(At|Until|Since|By)$/.test(name) && name !== 'invitedBy') || ['at', 'timestamp'].includes(name))
      out.push({ path: `${path}.${name}`, schema });
  }
  for (const [key, value] of Object.entries(node)) timeProperties(value, `${path}/${key}`, out);
}

describe('the OpenAPI contract a frontend builds on', () => {
  it('gives every time as an ISO string with format date-time, message timestamps included', () => {
    const found: Array<{ path: string; schema: Node }> = [];
    timeProperties(doc, '', found);
    expect(found.length).toBeGreaterThan(40);
    const notDateTime = found.filter(({ schema }) => !schema.$ref && schema.format !== 'date-time').map((f) => f.path);
    expect(notDateTime).toEqual([]);
    expect(doc.components.schemas.Message?.properties).toMatchObject({
      timestamp: { type: 'string', format: 'date-time' },
    });
  });

  it('declares the headers a client acts on: Location, ETag, Retry-After and a replayed answer (frontend review)', () => {
    type Operation = { responses: Record<string, { headers?: Node }> };
    const headersOf = (path: string, method: string, status: string) => {
      const op = doc.paths[path]?.[method] as Operation | undefined;
      return Object.keys(op?.responses[status]?.headers ?? {});
    };
    expect(headersOf('/api/v1/knowledge/entries', 'post', '201')).toEqual(['Location', 'ETag', 'idempotency-replayed']);
    expect(headersOf('/api/v1/knowledge/profile', 'get', '200')).toEqual(['ETag']);
    expect(headersOf('/api/v1/channels', 'post', '201')).toContain('Location');
    expect(headersOf('/api/v1/account/exports', 'post', '202')).toContain('Location');
    expect(headersOf('/api/v1/account/exports', 'post', '409')).toEqual(['Retry-After']);
    for (const route of API_ROUTES) {
      const op = doc.paths[`/api/${route.path}`]?.[route.method.toLowerCase()] as {
        responses: Record<string, { headers?: Node }>;
      };
      if (op.responses['429'])
        expect(Object.keys(op.responses['429'].headers ?? {}), route.name).toEqual(['Retry-After']);
    }
  });

  it('declares bearer security at the top, and only anonymous routes opt out', () => {
    expect(doc.security).toEqual([{ bearer: [] }]);
    for (const route of API_ROUTES) {
      const op = doc.paths[`/api/${route.path}`]?.[route.method.toLowerCase()] as { security?: unknown } | undefined;
      expect(op, route.name).toBeDefined();
      if (route.anonymous) expect(op?.security, route.name).toEqual([]);
      else expect(op?.security, route.name).toBeUndefined();
    }
  });

  it('says sign-up needs no role yet, and names the roles of the rest (outside audit m5)', () => {
    const description = (path: string, method: string) =>
      (doc.paths[path]?.[method] as { description?: string } | undefined)?.description ?? '';
    expect(description('/api/v1/account', 'post')).toMatch(
      /^Roles: none yet \(a signed-in person whose token names no account/,
    );
    expect(description('/api/v1/account', 'post')).not.toMatch(/Roles: owner/);
    expect(description('/api/v1/account', 'delete')).toMatch(/^Roles: owner\./);
    expect(description('/api/v1/account', 'get')).toMatch(/^Roles: owner, admin\./);
  });

  it('documents Idempotency-Key on every authenticated POST, and the realtime events as a schema', () => {
    const posts = API_ROUTES.filter((r) => r.method === 'POST' && !r.anonymous);
    expect(posts.length).toBeGreaterThan(10);
    for (const route of posts) {
      const op = doc.paths[`/api/${route.path}`]?.post as { parameters?: Array<{ name: string; in: string }> };
      expect(
        op.parameters?.some((p) => p.name === 'Idempotency-Key' && p.in === 'header'),
        route.name,
      ).toBe(true);
    }
    // Every header a route reads is documented with it, and a browser on a dashboard origin may send it (CORS).
    for (const route of API_ROUTES.filter((r) => r.headers)) {
      const op = doc.paths[`/api/${route.path}`]?.[route.method.toLowerCase()] as {
        parameters?: Array<{ name: string; in: string }>;
      };
      for (const name of Object.keys(route.headers?.shape ?? {})) {
        expect(
          op.parameters?.some((p) => p.name === name && p.in === 'header'),
          `${route.name}: ${name}`,
        ).toBe(true);
        expect(CORS_REQUEST_HEADERS, name).toContain(name.toLowerCase());
      }
    }
    expect(API_ROUTES.filter((r) => r.headers).map((r) => r.name)).toContain('v1-knowledge-profile-put');
    const events = doc.components.schemas.RealtimeEvent as {
      oneOf?: Array<{ properties: { type: { const?: string; enum?: string[] } } }>;
    };
    const types = events.oneOf?.map((o) => o.properties.type.const ?? o.properties.type.enum?.[0]);
    expect(types).toEqual([
      'message.created',
      'message.status',
      'conversation.state',
      'conversation.handoff',
      'conversation.assigned',
      'unread.changed',
    ]);
  });

  it('carries examples for the main operations', () => {
    for (const name of [
      'SignUp',
      'Conversation',
      'Message',
      'HumanReply',
      'InboxSummary',
      'RealtimeAccess',
      'InvitationRequest',
      'Assignment',
    ]) {
      expect(doc.components.schemas[name]?.example, name).toBeDefined();
    }
  });

  it('gives every pattern as a regex a client can compile, never a JavaScript literal with flags', () => {
    const patterns = [...JSON.stringify(doc).matchAll(/"pattern":"((?:[^"\\]|\\.)*)"/g)].map(
      (m) => JSON.parse(`"${m[1]}"`) as string,
    );
    expect(patterns.length).toBeGreaterThan(10);
    for (const p of patterns) {
      expect(p, p).not.toMatch(/\/[dgimsuy]*$/);
      expect(() => new RegExp(p, 'u'), p).not.toThrow();
    }
    const channelName = /"name":\{[^}]*"pattern":"((?:[^"\\]|\\.)*)"/.exec(JSON.stringify(doc))?.[1];
    const nameRe = new RegExp(JSON.parse(`"${channelName}"`), 'u');
    expect(nameRe.test('Salon Ana — Instagram')).toBe(true);
    expect(nameRe.test('line\nbreak')).toBe(false);
  });
  it('keeps every route the contract had', () => {
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    for (const op of [
      'POST /api/v1/account',
      'GET /api/v1/account',
      'GET /api/v1/members',
      'GET /api/v1/conversations',
      'GET /api/v1/conversations/{conversationId}',
      'GET /api/v1/conversations/{conversationId}/messages',
      'POST /api/v1/conversations/{conversationId}/messages',
      'POST /api/v1/conversations/{conversationId}/takeover',
      'POST /api/v1/conversations/{conversationId}/handback',
      'POST /api/v1/knowledge/documents',
      'POST /api/v1/realtime/negotiate',
      'GET /api/v1/inbox/summary',
    ]) {
      expect(ops).toContain(op);
    }
  });
});
