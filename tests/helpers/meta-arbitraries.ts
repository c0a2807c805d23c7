import fc from 'fast-check';

/** The seed every Meta property test runs with; set FC_SEED to replay another. Printed on failure. */
export const META_SEED = Number(process.env.FC_SEED ?? 20261205);

/** Runs a fast-check property with the fixed seed, and names the seed in the failure. */
export async function checkWithSeed(
  property: fc.IAsyncProperty<unknown[]> | fc.IProperty<unknown[]>,
  numRuns: number,
): Promise<void> {
  try {
    await fc.assert(property as fc.IAsyncProperty<unknown[]>, { seed: META_SEED, numRuns });
  } catch (error) {
    throw new Error(
      `Property failed with seed ${META_SEED} (replay: FC_SEED=${META_SEED}):\n${(error as Error).message}`,
    );
  }
}

const anyJson = fc.jsonValue({ maxDepth: 3 });
const key = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    'sender',
    'recipient',
    'timestamp',
    'message',
    'delivery',
    'read',
    'reaction',
    'postback',
    'referral',
    'optin',
    'message_edit',
    'app_roles',
    'pass_thread_control',
    'is_echo',
    '__proto__',
    'constructor',
  ),
);
const id = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null), anyJson);

/**
 * An item of unknown or broken shape: random keys and values, known keys with wrong values, items
 * with no sender, and things that are not objects at all. Never a `policy-enforcement` block: that
 * one is real and would (rightly) stop the reply the property checks for.
 */
export const oddItem: fc.Arbitrary<unknown> = fc.oneof(
  fc.dictionary(key, anyJson, { maxKeys: 6 }),
  fc.record(
    {
      sender: fc.record({ id }),
      recipient: fc.record({ id }),
      timestamp: fc.oneof(fc.integer(), fc.string({ maxLength: 16 }), fc.double()),
    },
    { requiredKeys: [] },
  ),
  fc.record({
    recipient: fc.record({ id: fc.string({ minLength: 1, maxLength: 20 }) }),
    timestamp: fc.nat(),
    'policy-enforcement': fc.oneof(fc.constant({ action: 'unblock' }), anyJson),
  }),
  fc.record({
    recipient: fc.record({ id: fc.string({ minLength: 1, maxLength: 20 }) }),
    timestamp: fc.nat(),
    app_roles: anyJson,
  }),
  fc.record({
    sender: fc.record({ id: fc.string({ minLength: 1, maxLength: 20 }) }),
    recipient: fc.record({ id: fc.string({ minLength: 1, maxLength: 20 }) }),
    timestamp: fc.nat(),
    message: anyJson,
  }),
  fc.record({
    sender: fc.record({ id: fc.string({ minLength: 1, maxLength: 20 }) }),
    recipient: fc.record({ id: fc.string({ minLength: 1, maxLength: 20 }) }),
    timestamp: fc.nat(),
    reaction: anyJson,
    delivery: anyJson,
  }),
  anyJson,
);

/** An entry that is not a usable entry (no id, wrong types, not an object). */
export const oddEntry: fc.Arbitrary<unknown> = fc.oneof(
  anyJson,
  fc.record(
    {
      id: id,
      time: fc.oneof(fc.string({ maxLength: 8 }), fc.double()),
      messaging: anyJson,
      standby: anyJson,
      changes: anyJson,
    },
    { requiredKeys: [] },
  ),
);

/** The odd company a real DM keeps in one delivery: items around it in its array, and odd entries. */
export const oddCompany = fc.record({
  before: fc.array(oddItem, { maxLength: 4 }),
  after: fc.array(oddItem, { maxLength: 4 }),
  standby: fc.option(fc.array(oddItem, { maxLength: 3 }), { nil: undefined }),
  changes: fc.option(fc.array(anyJson, { maxLength: 3 }), { nil: undefined }),
  entriesBefore: fc.array(oddEntry, { maxLength: 2 }),
  entriesAfter: fc.array(oddEntry, { maxLength: 2 }),
});
export type OddCompany = typeof oddCompany extends fc.Arbitrary<infer T> ? T : never;

/** Pure: a delivery with `dm` among `company`, addressed to `account`. */
export function surround(
  object: 'page' | 'instagram',
  account: string,
  dm: Record<string, unknown>,
  company: OddCompany,
): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    id: account,
    time: Date.now(),
    messaging: [...company.before, dm, ...company.after],
  };
  if (company.standby) entry.standby = company.standby;
  if (company.changes) entry.changes = company.changes;
  return { object, entry: [...company.entriesBefore, entry, ...company.entriesAfter] };
}
