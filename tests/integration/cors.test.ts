import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { corsHeaders, preflight } from '../../shared/platform/cors.js';
import { startTestHost } from '../helpers/host.js';
import { makeTenant } from '../helpers/tenants.js';

const DASHBOARD = 'http://localhost:5173';
const EVIL = 'https://evil.example';

describe('CORS for the dashboard origins', () => {
  let host: LocalHost;
  let owner: string;

  beforeAll(async () => {
    host = await startTestHost();
    owner = (await makeTenant(host)).owner;
  });
  afterAll(async () => {
    await host?.stop();
  });

  const ask = (
    path: string,
    origin: string,
    method = 'GET',
    headers = 'authorization, content-type, idempotency-key',
  ) =>
    fetch(`${host.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
    });

  it('answers a preflight from a dashboard origin with the methods and headers the API uses, credentials off', async () => {
    const res = await ask('/api/v1/conversations/cv_0123456789abcdef/messages', DASHBOARD, 'POST');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    // The profile's If-Match, from a browser (outside review).
    const profile = await ask('/api/v1/knowledge/profile', DASHBOARD, 'PUT', 'authorization, content-type, if-match');
    expect(profile.status).toBe(204);
    expect(profile.headers.get('access-control-allow-headers')).toContain('if-match');
    expect(
      (await ask('/api/v1/account', 'http://localhost:3000', 'PATCH')).headers.get('access-control-allow-origin'),
    ).toBe('http://localhost:3000');
  });

  it('refuses a preflight from any other origin, or for a method or header the API does not use', async () => {
    for (const res of [
      await ask('/api/v1/account', EVIL),
      await ask('/api/v1/account', DASHBOARD, 'TRACE'),
      await ask('/api/v1/account', DASHBOARD, 'GET', 'x-custom-thing'),
    ]) {
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });

  it('lets a dashboard origin read answers and errors, with x-correlation-id exposed; other origins get no CORS headers', async () => {
    const ok = await fetch(`${host.url}/api/v1/conversations`, {
      headers: { origin: DASHBOARD, authorization: `Bearer ${owner}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    expect(ok.headers.get('access-control-expose-headers')).toContain('x-correlation-id');
    expect(ok.headers.get('access-control-expose-headers')).toContain('etag');
    expect(ok.headers.get('vary')).toContain('Origin');
    const unauthorized = await fetch(`${host.url}/api/v1/conversations`, { headers: { origin: DASHBOARD } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
    const evil = await fetch(`${host.url}/api/v1/conversations`, {
      headers: { origin: EVIL, authorization: `Bearer ${owner}` },
    });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never answers CORS on the webhooks and the Meta callback', async () => {
    for (const path of ['/api/webhooks/meta', '/api/webhooks/stripe', '/api/meta/data-deletion']) {
      const pre = await ask(path, DASHBOARD, 'POST');
      expect(pre.headers.get('access-control-allow-origin'), path).toBeNull();
      const post = await fetch(`${host.url}${path}`, {
        method: 'POST',
        headers: { origin: DASHBOARD, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(post.headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });

  it('answers unknown routes and wrong methods with problem+json', async () => {
    const unknown = await fetch(`${host.url}/api/v1/no/such/thing`, { headers: { authorization: `Bearer ${owner}` } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await unknown.json()) as { detail: string }).detail).toContain('/api/v1/no/such/thing');
    const wrongMethod = await fetch(`${host.url}/api/v1/account`, { method: 'PUT' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toContain('GET');
    expect(wrongMethod.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('pure rules: only listed origins, exact match', () => {
    expect(corsHeaders('http://localhost:5173/', [DASHBOARD])).toEqual({});
    expect(corsHeaders(null, [DASHBOARD])).toEqual({});
    expect(corsHeaders(DASHBOARD, [DASHBOARD])['access-control-allow-origin']).toBe(DASHBOARD);
    expect(preflight('http://localhost:51730', 'GET', null, [DASHBOARD]).status).toBe(403);
  });
});
