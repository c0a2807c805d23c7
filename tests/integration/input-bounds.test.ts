import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { createExportRecord } from '../../shared/privacy/exports.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { makeTenant } from '../helpers/tenants.js';

const badIds = ['x'.repeat(60 * 1024), 'tn_abc\r\nX-Injected: 1', 'tn_\u0000nul', '../tn_other', 'tn_<script>', ''];

describe('bad input to ids, addresses, links and names is a 400 problem, never a 500 or a stuck job', () => {
  let host: LocalHost;
  let staff: string;
  const settle = async () => {
    for (let i = 0; i < 3; i++) await host.broker.whenIdle();
  };
  beforeAll(async () => {
    host = await startTestHost({ values: { BURST_WAIT_MS: '0' } });
    staff = await host.auth.token({ sub: 'auth0|staff', role: 'staff', mfa: true });
  });
  afterAll(async () => host?.stop());

  /**
   * A 400 problem whose errors name the field (a path ending in it), so the test fails if something else was refused.
   */
  const expectProblem = (res: { status: number; headers: Headers; body: unknown }, field: RegExp) => {
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const fields = ((res.body as { errors?: Array<{ field: string }> }).errors ?? []).map((e) => e.field);
    expect(
      fields.some((f) => field.test(f)),
      JSON.stringify(res.body),
    ).toBe(true);
  };

  it('every staff route that takes a tenantId bounds it (length and charset)', async () => {
    const routes: Array<[string, (tenantId: string) => Record<string, unknown>]> = [
      ['/api/v1/staff/privacy/children', (tenantId) => ({ tenantId, contactId: 'ct_0123456789abcdef' })],
      ['/api/v1/staff/privacy/end-user-deletions', (tenantId) => ({ platformUserId: '1234567890', tenantId })],
      ['/api/v1/staff/insights/rebuild', (tenantId) => ({ tenantId })],
    ];
    for (const [path, body] of routes) {
      for (const tenantId of badIds)
        expectProblem(await api(host, staff, 'POST', path, { body: body(tenantId) }), /(^|\.)tenantId$/);
    }
    // A well-formed id still gets through to the handler.
    expect(
      (
        await api(host, staff, 'POST', '/api/v1/staff/privacy/children', {
          body: { tenantId: 'tn_nobody', contactId: 'ct_0123456789abcdef' },
        })
      ).status,
    ).toBe(404);
  });

  it('a staff export with a bad notifyTo is refused at the route', async () => {
    for (const notifyTo of [
      'not-an-address',
      `${'a'.repeat(300)}@example.com`,
      'ana@example.com\r\nBcc: x@evil.com',
      '',
    ]) {
      expectProblem(
        await api(host, staff, 'POST', '/api/v1/staff/privacy/end-user-exports', {
          body: { platformUserId: '1234567890', notifyTo },
        }),
        /(^|\.)notifyTo$/,
      );
    }
  });

  it('an export job given a bad notifyTo ends failed with a reason, not pending and not dead-lettered', async () => {
    const doc = await createExportRecord(host.runtime, 'end-user', '1234567890');
    await host.runtime.bus.send('privacy-jobs', {
      body: {
        kind: 'export',
        exportId: doc.id,
        scope: 'end-user',
        subjectId: '1234567890',
        notifyTo: 'broken\r\naddress',
        language: 'en',
      },
      messageId: `export:${doc.id}`,
      sessionId: `export:${doc.id}`,
    });
    await settle();
    const { resource } = await host.runtime.cosmos.container('privacy').item(doc.id, doc.id).read();
    expect(resource).toMatchObject({
      status: 'failed',
      failureReason: expect.stringMatching(/not a valid e-mail address/),
    });
    expect(
      host.broker.deadLetters('privacy-jobs').filter((m) => (m.body as { exportId?: string }).exportId === doc.id),
    ).toHaveLength(0);
  });

  it('links (bookingLink, website) take only http(s) to public hosts; channel names take no control characters', async () => {
    const t = await makeTenant(host);
    for (const link of [
      'javascript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
      'gopher://x.com/',
      'http://169.254.169.254/latest',
      'http://[fe80::1]/',
      'http://localhost:8080/',
      'https://salon.ro/\r\nX: 1',
    ]) {
      expectProblem(
        await api(host, t.owner, 'PUT', '/api/v1/knowledge/profile', { body: { name: 'Salon', bookingLink: link } }),
        /(^|\.)bookingLink$/,
      );
      expectProblem(
        await api(host, t.owner, 'PATCH', '/api/v1/account', { body: { company: { website: link } } }),
        /(^|\.)website$/,
      );
    }
    expect(
      (
        await api(host, t.owner, 'PUT', '/api/v1/knowledge/profile', {
          body: { name: 'Salon', bookingLink: 'https://book.salon.ro/ana?x=1' },
        })
      ).status,
    ).toBe(200);
    for (const name of ['Salon\r\nBcc: x@evil.com', 'Salon\u0000', 'Salon\u2028Two']) {
      const res = await api(host, t.owner, 'POST', '/api/v1/channels', {
        body: {
          platform: 'messenger',
          accountId: '1234567',
          pageId: '1234567',
          name,
          pageAccessToken: `EAA${randomUUID()}`,
        },
      });
      expectProblem(res, /(^|\.)name$/);
    }
  });
});
