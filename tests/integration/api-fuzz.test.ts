import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../functions/api-routes.js';
import type { LocalHost } from '../../local/host.js';
import { buildOpenApi } from '../../shared/platform/openapi.js';
import { QUEUES } from '../../shared/platform/queues.js';
import {
  answerDefects,
  badRequest,
  describeRequest,
  invalidUtf8,
  type KnownIds,
  type Operation,
  operationsOf,
  rawSegments,
  send,
  type WireRequest,
  withInvalidUtf8,
} from '../helpers/fuzz-requests.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { checkFuzz, FUZZ_SEED, hugeString, SchemaArbitraries } from '../helpers/schema-arbitraries.js';
import { makeTenant } from '../helpers/tenants.js';

// The same document GET /api/v1/openapi.json serves (checked below), built here so each operation gets its own test.
const doc = buildOpenApi(API_ROUTES, 'http://localhost') as unknown as Parameters<typeof operationsOf>[0] &
  ConstructorParameters<typeof SchemaArbitraries>[0];
const operations = operationsOf(doc);
const arbs = new SchemaArbitraries(doc);

describe(`issue 12: every operation of the OpenAPI document answers bad input with a 4xx problem (seed ${FUZZ_SEED})`, () => {
  let host: LocalHost;
  let staff: string;
  const owners = new Map<string, { authorization: string; known: KnownIds }>();
  /** Answers by status, printed with FUZZ_STATS=1 to see how deep the inputs reach. */
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    // High limits: the suite sends bursts per tenant and per address, and a 429 would hide what lies behind it.
    host = await startTestHost({
      values: {
        API_RATE_LIMIT_PER_MINUTE: '100000',
        ANONYMOUS_RATE_LIMIT_PER_MINUTE: '100000',
        AZURE_OPENAI_ENDPOINT: 'local',
      },
    });
    staff = await host.auth.token({ sub: 'auth0|fuzz-staff', role: 'staff', mfa: true });
  });
  afterAll(async () => {
    if (process.env.FUZZ_STATS === '1')
      console.info('fuzz answers by status', Object.fromEntries([...statuses].sort(([a], [b]) => a - b)));
    await host?.stop();
  });

  /**
   * A real owner of a tenant of its own for each operation, so that one operation's effects (closing the account) do
   * not mask another's.
   */
  async function authorizationFor(op: Operation): Promise<string | undefined> {
    return (await callerFor(op)).authorization;
  }

  /**
   * The caller of an operation, and for operations with path ids, real ids in its tenant (a conversation
   * with its contact and channel from a DM, the sample knowledge entries, the queues), so that generated
   * bodies also reach the handlers behind the lookup.
   */
  async function callerFor(op: Operation): Promise<{ authorization?: string; known: KnownIds }> {
    if (op.caller === 'anonymous') return { known: {} };
    if (op.caller === 'staff')
      return { authorization: `Bearer ${staff}`, known: { queue: Object.values(QUEUES).map((q) => q.name) } };
    let caller = owners.get(op.id);
    if (!caller) {
      const withIds = op.pathParams.length > 0;
      const t = await makeTenant(host, { kb: withIds });
      const authorization = `Bearer ${t.owner}`;
      const known: KnownIds = {};
      if (withIds) {
        await postWebhook(
          host.url,
          dm({ object: 'instagram', accountId: t.account, userId: `fuzz${t.page}`, text: 'Are you open on Sunday?' }),
          host.runtime.settings.META_APP_SECRET,
        );
        await host.broker.whenIdle();
        const get = async (path: string) =>
          (
            (await (await fetch(`${host.url}${path}`, { headers: { authorization } })).json()) as {
              items: Array<Record<string, string>>;
            }
          ).items;
        const conversations = await get('/api/v1/conversations');
        expect(conversations.length, 'the DM opened a conversation').toBeGreaterThan(0);
        known.conversationId = conversations.map((c) => c.id as string);
        known.contactId = conversations.map((c) => c.contactId as string);
        known.channelId = conversations.map((c) => c.channelId as string);
        known.entryId = (await get('/api/v1/knowledge/entries')).map((e) => e.id as string);
        known.memberSub = [`auth0|agent-${t.id}`, `auth0|admin-${t.id}`];
      }
      caller = { authorization, known };
      owners.set(op.id, caller);
    }
    return caller;
  }

  async function expectProblemOnly(req: WireRequest): Promise<number> {
    const res = await send(host.url, req);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const defects = answerDefects(res);
    expect(
      defects,
      `${describeRequest(req)}\nanswer ${res.status} ${res.contentType}: ${res.text.slice(0, 500)}`,
    ).toEqual([]);
    return res.status;
  }

  it('covers the operations the host serves', async () => {
    const served = (await (await fetch(`${host.url}/api/v1/openapi.json`)).json()) as Parameters<
      typeof operationsOf
    >[0];
    expect(operationsOf(served).map((o) => o.id)).toEqual(operations.map((o) => o.id));
    expect(operations.length).toBeGreaterThan(50);
  });

  for (const op of operations) {
    it(`${op.method} ${op.template} (${op.id}): generated bad requests get no 5xx, a problem+json for every error, no stack or path`, async () => {
      const { authorization, known } = await callerFor(op);
      await checkFuzz(
        op.id,
        fc.asyncProperty(badRequest(arbs, op, authorization, known), async (req) => {
          await expectProblemOnly(req);
        }),
      );
    });
  }

  /** One valid body and path of an operation, from the fixed seed, for the fixed cases to spoil. */
  async function validBase(op: Operation) {
    const schema = arbs.resolve(op.body?.['application/json']);
    const authorization = await authorizationFor(op);
    const [sample] = fc.sample(arbs.valid(schema), { seed: FUZZ_SEED, numRuns: 1 });
    const [params] = fc.sample(fc.tuple(...op.pathParams.map((p) => arbs.valid(p.schema))), {
      seed: FUZZ_SEED,
      numRuns: 1,
    });
    let i = 0;
    const path = op.template.replace(/\{\w+\}/g, () => encodeURIComponent(String(params?.[i++])));
    return { schema, authorization, sample, path };
  }

  it('answers invalid UTF-8 in a JSON body with 400 on every operation that takes one, never as U+FFFD', async () => {
    for (const op of operations.filter((o) => o.body?.['application/json'])) {
      const { schema, authorization, sample, path } = await validBase(op);
      for (const bytes of invalidUtf8) {
        const req = {
          method: op.method,
          path,
          headers: { ...(authorization ? { authorization } : {}), 'content-type': 'application/json' },
          body: withInvalidUtf8(sample, bytes, schema),
        };
        expect(await expectProblemOnly(req), `${op.id} ${bytes.toString('hex')}`).toBe(400);
      }
    }
  });

  it('answers a 60 KB string in every top-level string field of every JSON body without a 5xx', async () => {
    for (const op of operations.filter((o) => o.body?.['application/json'])) {
      const { schema, authorization, sample, path } = await validBase(op);
      for (const [field, fieldSchema] of Object.entries(
        (schema.properties ?? {}) as Record<string, { type?: unknown }>,
      )) {
        if (arbs.resolve(fieldSchema).type !== 'string') continue;
        const body = Buffer.from(JSON.stringify({ ...(sample as object), [field]: hugeString(60_000) }));
        const req = {
          method: op.method,
          path,
          headers: { ...(authorization ? { authorization } : {}), 'content-type': 'application/json' },
          body,
        };
        await expectProblemOnly(req);
      }
    }
  });

  it('answers raw bytes, bad percent-encoding, NUL and long ids in every path parameter with a 4xx problem', async () => {
    for (const op of operations.filter((o) => o.pathParams.length > 0)) {
      const authorization = await authorizationFor(op);
      const [valid] = fc.sample(fc.tuple(...op.pathParams.map((p) => arbs.valid(p.schema))), {
        seed: FUZZ_SEED,
        numRuns: 1,
      });
      for (let target = 0; target < op.pathParams.length; target++) {
        for (const segment of rawSegments) {
          let i = 0;
          const path = op.template.replace(/\{\w+\}/g, () =>
            i++ === target ? segment : encodeURIComponent(String(valid?.[i - 1])),
          );
          const body = op.body?.['application/json']
            ? Buffer.from(
                JSON.stringify(fc.sample(arbs.valid(op.body['application/json']), { seed: FUZZ_SEED, numRuns: 1 })[0]),
              )
            : undefined;
          const req = {
            method: op.method,
            path,
            headers: {
              ...(authorization ? { authorization } : {}),
              ...(body ? { 'content-type': 'application/json' } : {}),
            },
            ...(body ? { body } : {}),
          };
          const status = await expectProblemOnly(req);
          // An encoded slash, dot or space may name a real resource; everything else here never does.
          if (!['%2F', '%20'].includes(segment))
            expect(status, `${op.id} ${JSON.stringify(segment.slice(0, 20))}`).toBeGreaterThanOrEqual(400);
        }
      }
    }
  });

  it('answers a request whose headers pass 16 KB with a 431 problem, on an API route and elsewhere', async () => {
    const authorization = `Bearer ${await makeTenant(host).then((t) => t.owner)}`;
    const cases: WireRequest[] = [
      { method: 'GET', path: '/api/v1/settings/bot', headers: { authorization, 'x-padding': 'p'.repeat(17_000) } },
      {
        method: 'GET',
        path: '/api/v1/settings/bot',
        headers: {
          authorization,
          ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`x-pad-${i}`, 'q'.repeat(500)])),
        },
      },
      { method: 'GET', path: `/api/v1/conversations/cv_${'a'.repeat(60_000)}`, headers: { authorization } },
      { method: 'GET', path: '/nothing-here', headers: { cookie: 'c'.repeat(20_000) } },
    ];
    for (const req of cases) expect(await expectProblemOnly(req), describeRequest(req)).toBe(431);
  });

  it('answers requests that are not HTTP at all with a 400 problem', async () => {
    const { connect } = await import('node:net');
    const { port } = new URL(host.url);
    for (const raw of [
      'GET /api/v1/settings/bot HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
      'GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n',
      'NOPE\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
    ]) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(raw, 'latin1'));
        let text = '';
        socket.on('data', (c) => (text += c.toString('latin1')));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer, JSON.stringify(raw)).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { status: number; type: string };
      expect(body).toMatchObject({ status: 400, type: 'https://aliat.app/problems/bad-request' });
    }
  });
});
