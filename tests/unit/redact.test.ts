import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDERS, redact, redactText } from '../../shared/platform/redact.js';

/** The digit appended to `body` that makes it pass the Luhn check. */
function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** ISO 13616 check digits for a country and national part. */
function ibanOf(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of rearranged) rest = (rest * 10 + Number(ch)) % 97;
  return `${country}${String(98 - rest).padStart(2, '0')}${bban}`;
}

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const sep = fc.constantFrom(' ', '-', '.', '');
const around = fc.constantFrom(
  ['Call me at ', ' please'],
  ['Sună-mă la ', ', mersi'],
  ['', ''],
  ['nr meu: ', '.'],
  ['(', ')'],
);

function groups(s: string, sizes: number[], separator: string): string {
  const out: string[] = [];
  let at = 0;
  for (const size of sizes) {
    out.push(s.slice(at, at + size));
    at += size;
  }
  if (at < s.length) out.push(s.slice(at));
  return out.filter(Boolean).join(separator);
}

describe('§13 redaction before any model call (pure)', () => {
  describe('class: Romanian phone numbers', () => {
    it('removes mobiles in every local and international format', () => {
      fc.assert(
        fc.property(
          digits(8),
          sep,
          fc.constantFrom('local', 'plus', 'plus-spaced', '0040'),
          around,
          (rest, s, style, [pre, post]) => {
            const national = `7${rest.slice(0, 1)}${rest.slice(1)}`; // 7xxxxxxxx (9 digits after the trunk 0)
            const number =
              style === 'local'
                ? groups(`0${national}`, [4, 3, 3], s)
                : style === 'plus'
                  ? `+40${national}`
                  : style === 'plus-spaced'
                    ? `+40 ${groups(national, [3, 3, 3], s)}`
                    : `0040${national}`;
            const out = redact(`${pre}${number}${post}`);
            expect(out.text).toBe(`${pre}${PLACEHOLDERS.phone}${post}`);
            expect(out.counts.phone).toBe(1);
          },
        ),
      );
    });

    it('removes landlines with the area code in brackets and mobiles typed without the 0', () => {
      expect(redactText('fix (021) 312 45 67')).toBe('fix [phone]');
      expect(redactText('Tel 0264-123-456')).toBe('Tel [phone]');
      expect(redactText('sunați la 722 123 456')).toBe('sunați la [phone]');
      expect(redactText('(+40) 722 123 456')).toBe('[phone]');
    });
  });

  describe('class: English and other international phone numbers', () => {
    it('removes UK numbers, local and international', () => {
      fc.assert(
        fc.property(digits(9), sep, fc.boolean(), around, (rest, s, international, [pre, post]) => {
          const number = international ? `+44 7${groups(rest, [3, 6], s)}` : `07${groups(rest, [3, 6], s)}`;
          expect(redactText(`${pre}${number}${post}`)).toBe(`${pre}[phone]${post}`);
        }),
      );
    });

    it('removes North American numbers in their usual shapes', () => {
      for (const n of ['(555) 123-4567', '555-123-4567', '+1 (555) 123-4567', '1 555 123 4567', '+1 555.123.4567'])
        expect(redactText(`call ${n} now`)).toBe('call [phone] now');
    });

    it('removes any +country number of 8 to 15 digits', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 9 }), digits(10), (cc, rest) => {
          expect(redactText(`+${cc}${rest}`)).toBe('[phone]');
          expect(redactText(`+${cc} ${groups(rest, [3, 3, 4], ' ')}`)).toBe('[phone]');
        }),
      );
    });
  });

  describe('class: card-like numbers (Luhn)', () => {
    it('removes 13 to 19 digit numbers that pass the Luhn check, grouped or not', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 12, max: 18 }).chain((n) => digits(n)),
          fc.constantFrom(' ', '-', ''),
          around,
          (body, s, [pre, post]) => {
            const card = `${body}${luhnDigit(body)}`;
            const out = redact(`${pre}${groups(card, [4, 4, 4, 4], s)}${post}`);
            expect(out.text).not.toMatch(/\d{4}/);
            expect(out.counts.card + out.counts.phone).toBe(1);
          },
        ),
      );
    });

    it('names the kind: a Visa test number is a card', () => {
      expect(redact('card 4111 1111 1111 1111, exp 12/27').text).toBe('card [card], exp 12/27');
      expect(redactText('amex 3782 822463 10005')).toBe('amex [card]');
    });
  });

  describe('class: IBANs', () => {
    it('removes Romanian IBANs, compact or in groups of four, any case', () => {
      fc.assert(
        fc.property(
          fc.stringMatching(/^[A-Z]{4}$/),
          fc.stringMatching(/^[0-9A-Z]{16}$/),
          fc.boolean(),
          fc.boolean(),
          (bank, account, spaced, lower) => {
            const iban = ibanOf('RO', `${bank}${account}`);
            const written = spaced ? (iban.match(/.{1,4}/g) ?? []).join(' ') : iban;
            expect(redactText(`IBAN: ${lower ? written.toLowerCase() : written}, mulțumesc`)).toBe(
              'IBAN: [iban], mulțumesc',
            );
          },
        ),
      );
    });

    it('removes other countries’ IBANs and keeps the word after them', () => {
      expect(redactText('GB82 WEST 1234 5698 7654 32 please')).toBe('[iban] please');
      expect(redactText('DE89370400440532013000.')).toBe('[iban].');
    });
  });

  describe('class: e-mail addresses', () => {
    it('removes any valid address', () => {
      fc.assert(
        fc.property(fc.emailAddress(), around, (email, [pre, post]) => {
          expect(redactText(`${pre}${email}${post}`)).toBe(`${pre}[email]${post}`);
        }),
      );
    });

    it('removes addresses with diacritics and plus tags', () => {
      expect(redactText('scrie-mi la ana.popescu+salon@gmail.com sau andrei@școală.ro')).toBe(
        'scrie-mi la [email] sau [email]',
      );
    });
  });

  describe('class: self-given names', () => {
    it('removes names after English introductions', () => {
      expect(redactText('Hi, my name is Ana Popescu and I want balayage')).toBe(
        'Hi, my name is [name] and I want balayage',
      );
      expect(redactText('my name is ana popescu i want balayage')).toBe('my name is [name] i want balayage');
      expect(redactText("Hello, I'm Sam. Are you open?")).toBe("Hello, I'm [name]. Are you open?");
      expect(redactText('Hi this is Sam Taylor')).toBe('Hi this is [name]');
      expect(redactText('You can call me Liz')).toBe('You can call me [name]');
    });

    it('removes names after Romanian introductions', () => {
      expect(redactText('Bună, mă numesc Ioana Maria. Vreau o programare.')).toBe(
        'Bună, mă numesc [name]. Vreau o programare.',
      );
      expect(redactText('ma numesc andrei si vreau tuns')).toBe('ma numesc [name] si vreau tuns');
      expect(redactText('Numele meu este Elena Dumitru')).toBe('Numele meu este [name]');
      expect(redactText('Buna, sunt Andrei. Cât costă?')).toBe('Buna, sunt [name]. Cât costă?');
      expect(redactText('Sunt Maria Ionescu, am o întrebare')).toBe('Sunt [name], am o întrebare');
    });

    it('keeps "sunt"/"I am" sentences that are not introductions', () => {
      for (const text of [
        'Sunt interesată de balayage.',
        'Ce ore sunt Luni?',
        'I am interested in a haircut',
        "I'm looking for a manicure",
        'Sunt în București',
        'Sunt Luni deschis?',
      ]) {
        expect(redactText(text)).toBe(text);
      }
    });
  });

  describe('class: ordinary numbers and text stay as they are', () => {
    it('keeps dates, times, prices, quantities, years and order numbers', () => {
      for (const text of [
        'A haircut on 12.05.2026 at 10:30 for 150 RON',
        'Programare pe 05/12/2026, ora 14:00',
        'Order 1234567890 costs 1.500 lei',
        'Open 9-17, Saturday 10-14',
        'Balayage is 450 RON, 2 hours, since 2019',
        'Room 12, floor 3, 2 persons',
        'CUI RO12345678',
      ]) {
        expect(redactText(text)).toBe(text);
      }
    });

    it('changes nothing in text without digits, "@" or introductions', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[a-zăâîșț ,.?!]{0,80}$/), (text) => {
          fc.pre(!/(name|numesc|cheam|call me|sunt|i am|i'm|this is)/.test(text));
          expect(redactText(text)).toBe(text);
        }),
      );
    });

    it('is idempotent: redacting twice is redacting once', () => {
      fc.assert(
        fc.property(
          fc.string({ unit: fc.constantFrom(...'0123456789 +-.()@abAB RO'.split('')), maxLength: 60 }),
          (text) => {
            const once = redactText(text);
            expect(redactText(once)).toBe(once);
          },
        ),
      );
    });

    it('counts what it removed, never keeps the values', () => {
      const out = redact(
        'Ana here: my name is Ana, 0722 123 456, ana@x.ro, 4111111111111111, RO49AAAA1B31007593840000',
      );
      expect(out.counts).toEqual({ email: 1, iban: 1, card: 1, phone: 1, name: 1 });
      expect(JSON.stringify(out.counts)).not.toMatch(/0722|ana@|4111|RO49/);
    });
  });
});
