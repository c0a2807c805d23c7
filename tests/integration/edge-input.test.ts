import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import type { AuditDoc } from '../../shared/audit/audit.js';
import { clientAddress } from '../../shared/platform/client-ip.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { makeTenant } from '../helpers/tenants.js';

describe('issue 12 defect 8: edge input (client address, bearer scheme, 401 challenge, local host paths)', () => {
  let host: LocalHost;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(async () => host?.stop());

  it('keeps only a valid IP from the trusted X-Forwarded-For hop, by class', () => {
    expect(clientAddress('203.0.113.7:51234')).toBe('203.0.113.7');
    expect(clientAddress('<script>alert(1)</script>, 198.51.100.2:443')).toBe('198.51.100.2');
    expect(clientAddress('10.0.0.1, [2001:db8::1]:443')).toBe('2001:db8::1');
    expect(clientAddress('[::ffff:127.0.0.1]:80')).toBe('127.0.0.1');
    expect(clientAddress(`${'x'.repeat(8000)}, 198.51.100.3`)).toBe('198.51.100.3');
    for (const bad of [
      '<script>alert(1)</script>',
      '1.2.3.4, <b>x</b>',
      'x'.repeat(8000),
      `1.2.3.4,${'9'.repeat(8000)}`,
      '999.1.1.1',
      'localhost',
      '1.2.3.4\r\nX: y',
      '',
      null,
      undefined,
    ]) {
      expect(clientAddress(bad as string)).toBeUndefined();
    }
  });

  it('stores in the audit log only the address the local front end saw, whatever X-Forwarded-For the caller sent', async () => {
    const t = await makeTenant(host);
    for (const spoof of ['<script>alert(1)</script>', 'x'.repeat(8000), '203.0.113.9']) {
      const res = await fetch(`${host.url}/api/v1/settings/bot`, {
        method: 'GET',
        headers: { authorization: `Bearer ${t.owner}`, 'x-forwarded-for': spoof },
      });
      expect(res.status).toBe(200);
      const current = (await res.json()) as Record<string, unknown>;
      const put = await fetch(`${host.url}/api/v1/settings/bot`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${t.owner}`, 'content-type': 'application/json', 'x-forwarded-for': spoof },
        body: JSON.stringify({ ...current, tone: current.tone === 'formal' ? 'friendly' : 'formal' }),
      });
      expect(put.status).toBe(200);
    }
    const { resources } = await host.runtime.cosmos
      .container('audit')
      .items.query<AuditDoc>({
        query: 'SELECT * FROM c WHERE c.tenantId = @t',
        parameters: [{ name: '@t', value: t.id }],
      })
      .fetchAll();
    expect(resources.length).toBeGreaterThanOrEqual(3);
    for (const entry of resources) expect(entry.ip).toBe('127.0.0.1');
  });

  it('accepts the bearer scheme in any case (RFC 6750) and answers every 401 with a WWW-Authenticate challenge', async () => {
    const t = await makeTenant(host);
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const res = await fetch(`${host.url}/api/v1/settings/bot`, {
        headers: { authorization: `${scheme} ${t.owner}` },
      });
      expect(res.status, scheme).toBe(200);
    }
    const none = await fetch(`${host.url}/api/v1/settings/bot`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="aliat"');
    for (const authorization of ['Bearer not-a-jwt', 'bearer a.b.c', `Bearer ${t.owner}x`]) {
      const res = await fetch(`${host.url}/api/v1/settings/bot`, { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="aliat", error="invalid_token"/);
    }
    const basic = await fetch(`${host.url}/api/v1/settings/bot`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('the local host answers bad paths with problem+json 400 or 404, never a 5xx or bare JSON', async () => {
    const { request } = await import('node:http');
    const raw = (path: string) =>
      new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        // Options, not a URL string: a URL would fold `../` away before it is sent.
        const req = request({ host: '127.0.0.1', port: new URL(host.url).port, path, method: 'GET' }, (res) => {
          let body = '';
          res
            .on('data', (c) => (body += c))
            .on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
        });
        req.on('error', reject);
        req.end();
      });
    for (const path of [
      '/api/v1/knowledge/entries/%zz',
      '/api/%',
      '/api/v1/%E2%82',
      '/api/v1/knowledge/entries/%00',
      '/api/../etc/passwd',
      '/api/v1/%2e%2e/%2e%2e/x',
      '/api/v1/./settings/bot',
    ]) {
      const res = await raw(path);
      expect(res.status, path).toBe(400);
      expect(res.type, path).toBe('application/problem+json');
      expect(JSON.parse(res.body)).toMatchObject({
        status: 400,
        type: expect.stringMatching(/^https:\/\/aliat\.app\/problems\//),
      });
    }
    // A path no route takes is one problem type wherever it is, never a resource's "not-found" (outside audit N).
    for (const path of [
      '/nothing-here',
      '/api/v1/no-such-route',
      '/api/webhooks/stripe/extra',
      '/api/playground/replies',
    ]) {
      const res = await raw(path);
      expect(res.status, path).toBe(404);
      expect(res.type, path).toBe('application/problem+json');
      expect(JSON.parse(res.body), path).toMatchObject({ type: 'https://aliat.app/problems/no-such-route' });
    }
  });
  it('refuses a page size that is not plain digits and a parameter given twice, naming the field', async () => {
    const t = await makeTenant(host);
    for (const [query, field] of [
      ['limit=1e1', 'limit'],
      ['limit=0x10', 'limit'],
      ['limit=101', 'limit'],
      ['kind=faq&kind=service', 'kind'],
    ]) {
      const res = await api(host, t.owner, 'GET', `/api/v1/knowledge/entries?${query}`);
      expect(res.status, query).toBe(400);
      expect(
        res.body.errors.map((e: { field: string }) => e.field),
        query,
      ).toEqual([`query.${field}`]);
    }
    const twice = await api(host, t.owner, 'GET', '/api/v1/knowledge/entries?kind=faq&kind=service');
    expect(twice.body.errors).toEqual([{ field: 'query.kind', message: 'given more than once' }]);
    // Any 400 that names a field is a validation problem (second outside review, m2).
    expect(twice.body.type).toBe('https://aliat.app/problems/validation');
    expect((await api(host, t.owner, 'GET', '/api/v1/knowledge/entries?limit=10&kind=faq')).status).toBe(200);
  });

  it('says what a query parameter must be in words, as a validation problem like a body (outside review m1)', async () => {
    const t = await makeTenant(host);
    for (const [path, field, message] of <const>[
      ['/api/v1/knowledge/entries?limit=200', 'query.limit', 'must be at most 100'],
      ['/api/v1/knowledge/entries?kind=bogus', 'query.kind', 'must be one of: profile, service, faq, document'],
      [
        '/api/v1/conversations?updatedSince=yesterday',
        'query.updatedSince',
        'must be a date and time in ISO 8601, such as 2026-12-07T10:00:00Z',
      ],
    ]) {
      const res = await api(host, t.owner, 'GET', path);
      expect(res.status, path).toBe(400);
      expect(res.body.type, path).toBe('https://aliat.app/problems/validation');
      expect(res.body.errors, path).toEqual([{ field, message }]);
    }
  });
});
