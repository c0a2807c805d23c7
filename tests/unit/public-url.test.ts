import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPublicWebUrl, publicWebUrl } from '../../shared/platform/public-url.js';

/** Fixed so CI is repeatable; FC_SEED replays another. fast-check names the seed in every failure. */
const SEED = Number(process.env.FC_SEED ?? 20261206);
const run = <T>(property: fc.IPropertyWithHooks<T> | fc.IAsyncPropertyWithHooks<T>) =>
  fc.assert(property as fc.IProperty<T>, { seed: SEED, numRuns: 400 });

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const publicHost = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'ro', 'eu', 'salon', 'io'))
  .map(([ls, tld]) => `${ls.join('.')}.${tld}`);
const path = fc
  .array(fc.stringMatching(/^[A-Za-z0-9._~-]{0,12}$/), { maxLength: 4 })
  .map((p) => (p.length ? `/${p.join('/')}` : ''));
const query = fc
  .option(fc.stringMatching(/^[a-z]{1,6}=[A-Za-z0-9%]{0,10}$/), { nil: undefined })
  .map((q) => (q ? `?${q}` : ''));
const goodUrl = fc
  .tuple(
    fc.constantFrom('https', 'http', 'HTTPS'),
    publicHost,
    fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    path,
    query,
  )
  .map(([s, h, port, p, q]) => `${s}://${h}${port ? `:${port}` : ''}${p}${q}`);

const badScheme = fc.constantFrom(
  'javascript',
  'JavaScript',
  'data',
  'file',
  'gopher',
  'ftp',
  'vbscript',
  'blob',
  'ws',
  'mailto',
  'jar',
);
const nonPublicHost = fc.oneof(
  fc.constantFrom(
    'localhost',
    'LOCALHOST',
    'app.localhost',
    'printer.local',
    'db.internal',
    'intranet',
    '127.0.0.1',
    '127.1.2.3',
    '0.0.0.0',
    '2130706433',
    '0x7f.1',
    '169.254.169.254',
    '10.0.0.5',
    '172.16.3.4',
    '192.168.1.1',
    '100.64.0.1',
    '[::1]',
    '[::]',
    '[fe80::1]',
    '[fd00::2]',
    '[::ffff:127.0.0.1]',
    '[::ffff:169.254.169.254]',
  ),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `169.254.${a}.${b}`),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `127.${a}.${b}.1`),
  fc.tuple(fc.integer({ min: 16, max: 31 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `172.${a}.${b}.9`),
  fc.integer({ min: 0, max: 0xffff }).map((n) => `[fe80::${n.toString(16)}]`),
);
const control = fc
  .oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }), fc.constantFrom(0x2028, 0x2029))
  .map((c) => String.fromCharCode(c));

describe('links a tenant writes (bookingLink, website) are http(s) to public hosts only', () => {
  it('lets good links through (property, fixed seed)', () => {
    run(
      fc.property(goodUrl, (url) => {
        expect(isPublicWebUrl(url), url).toBe(true);
        expect(publicWebUrl().safeParse(url).success, url).toBe(true);
      }),
    );
  });

  it('refuses every other scheme, whatever follows it (property, fixed seed)', () => {
    run(
      fc.property(badScheme, fc.constantFrom('//', ''), publicHost, path, (scheme, slashes, host, p) => {
        const url = `${scheme}:${slashes}${host}${p}`;
        expect(publicWebUrl().safeParse(url).success, url).toBe(false);
      }),
    );
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'gopher://evil.com:70/_x',
    ])
      expect(isPublicWebUrl(url), url).toBe(false);
  });

  it('refuses loopback, link-local, private and local names (property, fixed seed)', () => {
    run(
      fc.property(fc.constantFrom('https', 'http'), nonPublicHost, path, (scheme, host, p) => {
        const url = `${scheme}://${host}${p}`;
        expect(isPublicWebUrl(url), url).toBe(false);
      }),
    );
  });

  it('refuses a control character or space anywhere in an otherwise good link (property, fixed seed)', () => {
    run(
      fc.property(goodUrl, control, fc.nat(), (url, c, at) => {
        const i = at % (url.length + 1);
        const tainted = `${url.slice(0, i)}${c}${url.slice(i)}`;
        expect(publicWebUrl().safeParse(tainted).success, JSON.stringify(tainted)).toBe(false);
      }),
    );
    expect(isPublicWebUrl('https://salon.ro/\r\nSet-Cookie: x=1')).toBe(false);
    expect(isPublicWebUrl('https://user:pw@salon.ro/')).toBe(false);
  });
});
