import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { render, safeSubject } from '../../shared/email/templates.js';

const SEED = Number(process.env.FC_SEED ?? 20261206);
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the test
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe('e-mail subjects are one clean header line whatever a value put into them holds', () => {
  const control = fc
    .oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }), fc.constantFrom(0x2028, 0x2029))
    .map((c) => String.fromCharCode(c));
  const tainted = fc
    .tuple(
      fc.string({ maxLength: 20 }),
      fc.array(control, { minLength: 1, maxLength: 4 }),
      fc.string({ maxLength: 20 }),
    )
    .map(([a, cs, b]) => `${a}${cs.join('')}Bcc: x@evil.com${b}`);

  it('strips control characters from every subject that carries a value, in both languages (property, fixed seed)', () => {
    fc.assert(
      fc.property(tainted, fc.constantFrom('en', 'ro') as fc.Arbitrary<'en' | 'ro'>, (value, language) => {
        const subjects = [
          render('channel_needs_reconnection', language, { channel: value }).subject,
          render('channel_blocked', language, { channel: value }).subject,
          render('invitation', language, { company: value, role: 'agent', link: 'https://x', expiresAt: 'soon' })
            .subject,
          render('newsletter', language, { subject: value, body: 'b' }).subject,
        ];
        for (const s of subjects) expect(CONTROL.test(s), JSON.stringify(s)).toBe(false);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('keeps ordinary text as it is', () => {
    expect(safeSubject('Reconectați @salon.ana — pentru a răspunde')).toBe(
      'Reconectați @salon.ana — pentru a răspunde',
    );
    expect(safeSubject('Reconnect Salon\r\nBcc: x@evil.com now')).toBe('Reconnect Salon Bcc: x@evil.com now');
  });
});
