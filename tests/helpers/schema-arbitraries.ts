import fc from 'fast-check';

/** A JSON Schema node as the OpenAPI 3.1 document writes it (zod-to-openapi output). */
// biome-ignore lint/suspicious/noExplicitAny: JSON Schema and OpenAPI nodes are read field by field, untyped.
export type Schema = Record<string, any>;

/** The seed of the fuzz suite: FUZZ_SEED replays another run; printed with every failure. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261206);
/** Generated requests per operation; FUZZ_RUNS raises it for a longer local run. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 25);

/** Runs a property with the suite's seed, and puts the seed and how to replay it in the failure. */
export async function checkFuzz<T extends [unknown, ...unknown[]]>(
  name: string,
  property: fc.IAsyncProperty<T>,
  numRuns = FUZZ_RUNS,
): Promise<void> {
  try {
    await fc.assert(property, {
      seed: FUZZ_SEED,
      numRuns,
      endOnFailure: process.env.FUZZ_SHRINK !== '1',
      includeErrorInReport: true,
    });
  } catch (error) {
    throw new Error(
      `${name} failed with seed ${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED} npx vitest run tests/integration/api-fuzz.test.ts -t '${name}')\n${(error as Error).message}`,
    );
  }
}

/** Strings that break naive code: NUL, control and bidi characters, lone surrogates, markup, traversal, huge. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\r\nX-Injected: 1',
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '%00',
    '%zz',
    '\u202e\u2066bidi',
    '\ud800',
    '\udfff\ud800',
    '\ufeff',
    '💥'.repeat(50),
    'null',
    'undefined',
    '[object Object]',
    '__proto__',
    'constructor',
    '-1',
    '1e999',
    'NaN',
    '{"$ne":null}',
    "' OR 1=1 --",
    'SELECT * FROM c',
    'javascript:alert(1)',
    'data:text/html,<b>x</b>',
    'file:///etc/passwd',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(1_000, 10_000, 60_000, 70_000)
      .chain((n) => fc.constantFrom('x', 'é', '\u0000', '😀').map((c) => hugeString(n, c))),
  },
);

/** About `bytes` bytes of JSON string made of `c` (so 60 KB still fits a 64 KB body, whatever the character). */
export function hugeString(bytes: number, c = 'x'): string {
  return c.repeat(Math.floor(bytes / Buffer.byteLength(JSON.stringify(c).slice(1, -1))));
}

/** A JSON value nested `depth` levels deep, as arrays or objects. */
export function deepNest(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

const deep = fc
  .tuple(fc.constantFrom(50, 500), fc.constantFrom('array' as const, 'object' as const))
  .map(([depth, kind]) => deepNest(depth, kind));
const oddNumber = fc.oneof(
  fc.constantFrom(-1, 0, -0, 0.5, 1e308, -1e308, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const anyJson = fc.jsonValue({ maxDepth: 3 });
/** Keys an attacker adds to an object: prototype keys, query operators, junk. */
export const oddKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '$where', 'id', 'tenantId', 'ttl', '_etag', '', '\u0000'),
  fc.string({ maxLength: 12 }),
);

function omit(value: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== key));
}

/** JSON Schema → arbitraries, valid and bad, resolving `$ref` against an OpenAPI document's components. */
export class SchemaArbitraries {
  constructor(private readonly doc: { components?: { schemas?: Record<string, Schema> } }) {}

  resolve(schema: Schema | undefined): Schema {
    let s = schema ?? {};
    for (let hops = 0; typeof s.$ref === 'string' && hops < 20; hops++) {
      const name = (s.$ref as string).replace('#/components/schemas/', '');
      s = {
        ...this.doc.components?.schemas?.[name],
        ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')),
      };
    }
    return s;
  }

  private branches(s: Schema): Schema[] | undefined {
    const list = s.anyOf ?? s.oneOf;
    if (Array.isArray(list)) return list.map((b: Schema) => this.resolve({ ...b }));
    if (Array.isArray(s.type)) return s.type.map((type: string) => ({ ...s, type }));
    if (Array.isArray(s.allOf))
      return [this.resolve(Object.assign({}, ...s.allOf.map((b: Schema) => this.resolve(b))))];
    return undefined;
  }

  /** A value the schema accepts (near enough: formats and patterns are honoured, cross-field rules are not). */
  valid(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    if (s.const !== undefined) return fc.constant(s.const);
    if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
    const branches = this.branches(s);
    if (branches) return fc.oneof(...branches.map((b) => this.valid(b, depth)));
    if (depth > 4) return fc.constant(null);
    switch (s.type) {
      case 'string':
        return this.validString(s);
      case 'integer':
        return fc.integer({
          min: s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000),
          max: s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1000),
        });
      case 'number':
        return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(this.valid(s.items, depth + 1), {
          minLength: s.minItems ?? 0,
          maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)),
        });
      case 'object':
        return this.validObject(s, depth);
      default:
        return s.properties ? this.validObject(s, depth) : anyJson;
    }
  }

  private validString(s: Schema): fc.Arbitrary<string> {
    if (s.format === 'date-time')
      return fc
        .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString());
    if (s.format === 'date')
      return fc
        .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    if (s.format === 'email') return fc.emailAddress();
    if (s.format === 'uri') return fc.webUrl({ validSchemes: ['https'] });
    if (typeof s.pattern === 'string') {
      try {
        const max = s.maxLength ?? Number.POSITIVE_INFINITY;
        return fc
          .stringMatching(new RegExp(s.pattern))
          .filter((v) => v.length >= (s.minLength ?? 0) && v.length <= max);
      } catch {
        // A pattern fast-check cannot invert falls through to a plain string.
      }
    }
    const min = s.minLength ?? 0;
    return fc.string({ minLength: min, maxLength: Math.min(s.maxLength ?? min + 30, min + 30) });
  }

  private validObject(s: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const props: Record<string, Schema> = s.properties ?? {};
    const required: string[] = s.required ?? [];
    if (Object.keys(props).length === 0 && s.additionalProperties && typeof s.additionalProperties === 'object') {
      return fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), this.valid(s.additionalProperties, depth + 1), {
        maxKeys: 3,
      });
    }
    const record = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, this.valid(v, depth + 1)]));
    return fc.record(record, { requiredKeys: required.filter((k) => k in props) }) as fc.Arbitrary<
      Record<string, unknown>
    >;
  }

  /** A value of the wrong kind for the schema, or of the right kind at an extreme. */
  bad(schema: Schema | undefined): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    const wrongType = fc.oneof(
      ...(
        [
          type !== 'string' ? oddString : undefined,
          type !== 'number' && type !== 'integer' ? oddNumber : undefined,
          type !== 'boolean' ? fc.boolean() : undefined,
          type !== 'array' ? fc.array(anyJson, { maxLength: 3 }) : undefined,
          type !== 'object' ? fc.dictionary(oddKey, anyJson, { maxKeys: 3 }) : undefined,
          fc.constant(null),
        ] as Array<fc.Arbitrary<unknown> | undefined>
      ).filter((a): a is fc.Arbitrary<unknown> => a !== undefined),
    );
    const extreme =
      type === 'string'
        ? oddString
        : type === 'integer' || type === 'number'
          ? oddNumber
          : type === 'array'
            ? fc.constantFrom(200, 20_000).map((n) => Array.from({ length: n }, () => 'x'))
            : deep;
    return fc.oneof(
      { weight: 3, arbitrary: wrongType },
      { weight: 3, arbitrary: extreme },
      { weight: 1, arbitrary: deep },
    );
  }

  /** A valid value with one defect: a required field dropped, an extra field, one field bad (recursively). */
  mutated(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const branches = this.branches(s);
    if (branches && depth < 4) return fc.oneof(...branches.map((b) => this.mutated(b, depth)));
    const props: Record<string, Schema> = s.properties ?? {};
    const keys = Object.keys(props);
    if (s.type === 'object' && keys.length > 0 && depth < 4) {
      return fc
        .tuple(this.valid(s) as fc.Arbitrary<Record<string, unknown>>, fc.constantFrom(...keys))
        .chain(([value, key]) =>
          fc.oneof(
            fc
              .constantFrom(...((s.required as string[] | undefined)?.length ? (s.required as string[]) : [key]))
              .map((drop) => omit(value, drop)),
            this.mutated(props[key], depth + 1).map((bad) => ({ ...value, [key]: bad })),
            fc.tuple(oddKey, anyJson).map(([extra, any]) => ({ ...value, [extra]: any })),
          ),
        );
    }
    if (s.type === 'array' && depth < 4)
      return fc
        .tuple(this.valid(s) as fc.Arbitrary<unknown[]>, this.mutated(s.items, depth + 1))
        .map(([list, bad]) => [...list, bad]);
    return this.bad(s);
  }

  /** A request body: mostly valid-looking with one defect, sometimes entirely wrong. */
  body(schema: Schema | undefined): fc.Arbitrary<unknown> {
    return fc.oneof(
      { weight: 4, arbitrary: this.mutated(schema) },
      { weight: 1, arbitrary: this.bad(schema) },
      { weight: 1, arbitrary: this.valid(schema) },
    );
  }
}
