import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seal, sealingKey, unseal } from '../../shared/platform/idempotency.js';

const SEED = 1313;

describe('idempotency records keep no readable answer (§9: ids only in dedup)', () => {
  it('seals any answer so that its text is absent, and only the same key opens it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8 }), fc.string({ minLength: 1, maxLength: 200 }), (text, key) => {
        const result = { status: 201, body: { text }, headers: { location: '/x' } };
        const k = sealingKey('t_1', 'replies.send', key);
        const sealed = seal(result, k);
        expect(sealed).not.toContain(text);
        expect(sealed).not.toContain(Buffer.from(JSON.stringify(text)).toString('base64url'));
        expect(unseal(sealed, k)).toEqual(result);
        expect(unseal(sealed, sealingKey('t_1', 'replies.send', `${key}x`))).toBeUndefined();
        expect(unseal(sealed, sealingKey('t_2', 'replies.send', key))).toBeUndefined();
      }),
      { seed: SEED, numRuns: 100, verbose: true },
    );
  });
});
