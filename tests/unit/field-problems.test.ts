import { describe, expect, it } from 'vitest';
import { z } from 'zod';
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
});
