import { describe, expect, it } from 'vitest';
import { openPageToken, PageTokenError, sealPageToken } from '../../shared/platform/page-token.js';

const secret = 'a-test-page-token-secret';

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(PageTokenError);
    expect((error as PageTokenError).status).toBe(400);
    return (error as PageTokenError).reason;
  }
}

describe('page tokens', () => {
  it('round-trips any JSON payload for the same kind and tenant', () => {
    for (const payload of ['cosmos-continuation', { before: '2026-01-01T00:00:00.000Z', id: 'm_1' }, [1, 2], 0, null]) {
      const token = sealPageToken(secret, 'v1-contacts-list', 'tn_a', payload);
      expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(openPageToken(secret, 'v1-contacts-list', 'tn_a', token)).toEqual(payload);
    }
  });

  it('refuses a token of another tenant, another list or another secret', () => {
    const token = sealPageToken(secret, 'v1-contacts-list', 'tn_a', 'c');
    expect(reasonOf(() => openPageToken(secret, 'v1-contacts-list', 'tn_b', token))).toBe('forged');
    expect(reasonOf(() => openPageToken(secret, 'v1-audit-list', 'tn_a', token))).toBe('forged');
    expect(reasonOf(() => openPageToken('another-secret-entirely', 'v1-contacts-list', 'tn_a', token))).toBe('forged');
  });

  it('cannot be confused by shifting characters between kind and tenant', () => {
    const token = sealPageToken(secret, 'ab', 'c', 'x');
    expect(reasonOf(() => openPageToken(secret, 'a', 'bc', token))).toBe('forged');
  });

  it('refuses a changed payload under the original signature', () => {
    const token = sealPageToken(secret, 'k', 't', { c: 'one' });
    const [, mac] = token.split('.');
    const body = Buffer.from(JSON.stringify({ p: { c: 'two' } })).toString('base64url');
    expect(reasonOf(() => openPageToken(secret, 'k', 't', `${body}.${mac}`))).toBe('forged');
  });

  it('refuses everything that is not a token, without throwing anything but a 400', () => {
    const samples = [
      '',
      '-1',
      'true',
      '{}',
      '[]',
      'null',
      'garbage',
      '.',
      'a.',
      '.b',
      'a.b.c',
      'a b.c',
      '%00',
      '\u0000',
      'é.é',
      'x'.repeat(9000),
      '+/=.+/=',
    ];
    for (const sample of samples)
      expect(
        reasonOf(() => openPageToken(secret, 'k', 't', sample)),
        JSON.stringify(sample.slice(0, 20)),
      ).toMatch(/^(malformed|forged)$/);
  });
});
