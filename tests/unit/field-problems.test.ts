import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { profileSchema, serviceSchema } from '../../shared/knowledge/schemas.js';
import { fieldProblems } from '../../shared/platform/problem.js';

const fieldsOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : fieldProblems(result.error).map((p) => p.field);
};

describe('field problems: each names a field as the request does', () => {
  const service = z.strictObject({ name: z.string(), price: z.number() });
  const faq = z.strictObject({ question: z.string(), answer: z.string() });
  const body = z.strictObject({ data: z.union([service, faq]) });

  it('names each unknown key on its own, never the keys joined as one path', () => {
    expect(fieldsOf(body, { data: { question: 'q', answer: 'a' }, id: 'x', createdAt: 'y' })).toEqual([
      'id',
      'createdAt',
    ]);
  });
  it('reports a value that fits no shape of a union by the shape it came closest to', () => {
    expect(fieldsOf(body, { data: { question: 'q' } })).toEqual(['data.answer']);
    expect(fieldsOf(body, { data: { name: 'n' } })).toEqual(['data.price']);
  });
  it('opens nested unions before comparing, and passes over a shape whose discriminator the value lacks', () => {
    const tagged = z.union([
      z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('service'), data: service }),
        z.strictObject({ kind: z.literal('faq'), data: faq }),
      ]),
      z.strictObject({ data: z.union([service, faq]) }),
    ]);
    expect(fieldsOf(tagged, { kind: 'faq', data: {} }).sort()).toEqual(['data.answer', 'data.question']);
    expect(fieldsOf(tagged, { data: { question: 'q' } })).toEqual(['data.answer']);
  });
  it('lists at most 50 problems, then says how many more there were', () => {
    const keys = Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`k${i}`, i]));
    const fields = fieldsOf(body, { data: { question: 'q', answer: 'a' }, ...keys });
    expect(fields).toHaveLength(51);
    expect(fields.at(-1)).toBe('(body)');
  });

  it('says which fields an object has where a key is unknown, following a union by its discriminator', () => {
    const entry = z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('service'), data: service }),
      z.strictObject({ kind: z.literal('faq'), data: faq }),
    ]);
    const said = (value: unknown) => {
      const result = entry.safeParse(value);
      return result.success ? [] : fieldProblems(result.error, entry, value);
    };
    expect(said({ kind: 'faq', data: { question: 'q', answer: 'a', tags: [] } })).toEqual([
      { field: 'data.tags', message: 'Unrecognized key; the fields here are: question, answer' },
    ]);
    expect(said({ kind: 'service', id: 'x', data: { name: 'n', price: 1 } })).toEqual([
      { field: 'id', message: 'Unrecognized key; the fields here are: kind, data' },
    ]);
    // A value that picks no shape is told the values that would, in words.
    expect(said({ kind: 'policy', data: {} })).toEqual([{ field: 'kind', message: 'must be one of: service, faq' }]);
  });
  it('says what a currency must look like instead of showing a pattern', () => {
    const result = serviceSchema.safeParse({ name: 'Tuns', price: { amount: 80, currency: 'lei' } });
    expect(result.success).toBe(false);
    const [problem] = result.success ? [] : fieldProblems(result.error);
    expect(problem?.field).toBe('price.currency');
    expect(problem?.message).toContain('RON');
    expect(problem?.message).not.toContain('/^');
  });
  it('says how a price and policies are written when a new owner sends a number or a list (outside audits AI, AJ)', () => {
    const said = (schema: z.ZodType, value: unknown) => {
      const result = schema.safeParse(value);
      return result.success ? [] : fieldProblems(result.error).map((p) => `${p.field}: ${p.message}`);
    };
    expect(said(serviceSchema, { name: 'Tuns', price: 150 })).toEqual([
      'price: must be an amount and a currency, such as {"amount": 150, "currency": "RON"}; a price that is not one number goes in priceNote',
    ]);
    expect(said(profileSchema, { name: 'Salon', policies: ['No pets', 'Cash only'] })).toEqual([
      'policies: must be text, one policy per line (not a list)',
    ]);
    // A day written out in the structured hours is told the day names it takes (outside audit AK).
    const week = { name: 'Salon', hours: { weekly: { monday: [{ open: '09:00', close: '17:00' }] } } };
    const wrongDay = profileSchema.safeParse(week);
    expect(wrongDay.success ? [] : fieldProblems(wrongDay.error, profileSchema, week)).toEqual([
      {
        field: 'hours.weekly.monday',
        message: 'Unrecognized key; the fields here are: sun, mon, tue, wed, thu, fri, sat',
      },
    ]);
    // A closed day written as a word is told what a day takes, once, not also a length it never had (outside audit AN).
    const closed = { name: 'Salon', hours: { weekly: { sun: 'closed' } } };
    const closedDay = profileSchema.safeParse(closed);
    expect(closedDay.success ? [] : fieldProblems(closedDay.error, profileSchema, closed)).toEqual([
      {
        field: 'hours.weekly.sun',
        message: 'must be a list of {"open": "HH:MM", "close": "HH:MM"}, at most 4; [] when closed',
      },
    ]);
    // Their other problems keep their own words.
    expect(said(serviceSchema, { name: 'Tuns', price: { amount: 150 } })).toEqual(['price.currency: is required']);
    expect(said(profileSchema, { name: 'Salon', policies: ' ' })).toEqual(['policies: must not be empty']);
  });
  it("says each of zod's own messages in words, never its internals, and keeps a schema's own message", () => {
    const schema = z.strictObject({
      name: z.string().min(1),
      data: z.object({ n: z.number() }),
      tone: z.enum(['friendly', 'formal']),
      code: z.string().max(3),
      count: z.number().int().min(1).max(5),
      tags: z.array(z.string()).max(1),
      kind: z.literal('faq'),
      on: z.boolean(),
      email: z.email(),
      since: z.iso.datetime(),
      ref: z.string().regex(/^cv_\w{10}$/),
      day: z.iso.date(),
      limit: z.coerce.number().int().min(1).max(100),
      note: z.string(),
      currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter code such as RON'),
    });
    const result = schema.safeParse({
      name: '',
      data: 'x',
      tone: 'rude',
      code: 'long',
      count: 9.5,
      tags: ['a', 'b'],
      kind: 'service',
      on: 'yes',
      email: 'no',
      since: 'yesterday',
      ref: 'cv_1',
      day: '7 Dec',
      limit: '200',
      currency: 'lei',
    });
    const said = Object.fromEntries(
      (result.success ? [] : fieldProblems(result.error)).map((p) => [p.field, p.message]),
    );
    expect(said).toEqual({
      name: 'must not be empty',
      data: 'must be an object',
      tone: 'must be one of: friendly, formal',
      code: 'must be at most 3 characters',
      count: 'must be a whole number',
      tags: 'must have at most 1 item',
      kind: 'must be "faq"',
      on: 'must be true or false',
      email: 'must be an e-mail address',
      since: 'must be a date and time in ISO 8601, such as 2026-12-07T10:00:00Z',
      ref: 'is not in the form this field takes',
      day: 'must be a date in ISO 8601, such as 2026-12-07',
      limit: 'must be at most 100',
      note: 'is required',
      currency: 'a three-letter code such as RON',
    });
    for (const message of Object.values(said)) expect(message).not.toMatch(/Invalid|Too (small|big)|expected|\/\^/);
  });
});
