import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalHost } from '../local/host.js';
import { seedTenant } from '../local/seed.js';
import { checkMetaSignature, signMetaBody } from '../shared/messaging/signature.js';
import { type Figure, percentile, round } from './figures.js';
import { load } from './load.js';

const REQUESTS = 2000;
const CONCURRENCY = 16;
const E2E_MESSAGES = 100;

function exampleValues(): Record<string, string> {
  const file = JSON.parse(readFileSync(new URL('../../local.settings.example.json', import.meta.url), 'utf8')) as {
    Values: Record<string, string>;
  };
  return file.Values;
}

/** A bare Node server doing only what the webhook must do first: read the body and check the HMAC. */
async function bareServer(secret: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const ok = checkMetaSignature(Buffer.concat(chunks), req.headers['x-hub-signature-256'] as string, secret).ok;
    res.statusCode = ok ? 200 : 401;
    res.end('EVENT_RECEIVED');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Webhook ingest throughput and latency on the local host against a bare HMAC server; end-to-end latency to the Send
 * API.
 */
export async function run(): Promise<Figure[]> {
  const ingest = await measureIngest();
  const e2e = await measureEndToEnd();
  return [
    {
      name: 'webhook ingest throughput',
      value: round(ingest.host.perSecond, 0),
      unit: 'req/s',
      baseline: { name: 'bare Node http + HMAC', value: round(ingest.bare.perSecond, 0) },
      ratio: round(ingest.host.perSecond / ingest.bare.perSecond, 3),
      target: 'ratio >= 0.5',
    },
    {
      name: 'webhook ingest p50',
      value: round(ingest.host.p50),
      unit: 'ms',
      baseline: { name: 'bare Node http + HMAC', value: round(ingest.bare.p50) },
      ratio: round(ingest.bare.p50 / ingest.host.p50, 3),
    },
    {
      name: 'webhook ingest p99',
      value: round(ingest.host.p99),
      unit: 'ms',
      baseline: { name: 'bare Node http + HMAC', value: round(ingest.bare.p99) },
      ratio: round(ingest.bare.p99 / ingest.host.p99, 3),
    },
    {
      name: 'end-to-end webhook to Send API p50 (instant generator, no burst wait, 5 msg/s)',
      value: round(percentile(e2e, 50)),
      unit: 'ms',
      baseline: null,
    },
    {
      name: 'end-to-end webhook to Send API p99 (instant generator, no burst wait, 5 msg/s)',
      value: round(percentile(e2e, 99)),
      unit: 'ms',
      baseline: null,
      target: '< 100 ms',
    },
  ];
}

function payload(account: string, i: number, user: string): string {
  const now = Date.now();
  return JSON.stringify({
    object: 'instagram',
    entry: [
      {
        id: account,
        time: now,
        messaging: [
          {
            sender: { id: user },
            recipient: { id: account },
            timestamp: now,
            message: { mid: `bench_${user}_${i}`, text: 'Do you do balayage on Saturdays?' },
          },
        ],
      },
    ],
  });
}

async function post(url: string, body: string, secret: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(body, secret) },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

/**
 * The webhook function alone (signature, parse, enqueue through the SDK), with queue triggers off as they run elsewhere
 * in Azure.
 */
async function measureIngest() {
  const host = await LocalHost.start({ port: 0, values: exampleValues(), drainQueues: false });
  const secret = host.runtime.settings.META_APP_SECRET;
  const bare = await bareServer(secret);
  const account = '17841499999999999';
  await load(200, 8, (i) => post(`${bare.url}/`, payload(account, i, 'warm'), secret));
  await load(200, 8, (i) => post(`${host.url}/api/webhooks/meta`, payload(account, i, 'warm'), secret));
  const bareResult = await load(REQUESTS, CONCURRENCY, (i) =>
    post(`${bare.url}/`, payload(account, i, `u${i % 100}`), secret),
  );
  const hostResult = await load(REQUESTS, CONCURRENCY, (i) =>
    post(`${host.url}/api/webhooks/meta`, payload(account, i, `u${i % 100}`), secret),
  );
  if (hostResult.failures > 0) throw new Error(`${hostResult.failures} webhook requests failed`);
  await bare.close();
  await host.stop();
  return { bare: bareResult, host: hostResult };
}

/**
 * Webhook in, through ingest, reply and send, to the Send API call in the sandbox, at a steady 5 messages a second
 * (latency, not saturation: every hop shares these 2 cores with the stores and the load).
 */
async function measureEndToEnd(): Promise<number[]> {
  const host = await LocalHost.start({ port: 0, values: { ...exampleValues(), BURST_WAIT_MS: '0' } });
  const account = '17841499999999999';
  await seedTenant(host.runtime, {
    tenantId: 'tn_bench',
    companyName: 'Bench Salon',
    bot: { aiDisclosure: false },
    channels: [
      { platform: 'instagram', accountId: account, sendAsId: '100099999999', name: 'bench', token: 'EAAbench' },
    ],
  });
  const realGenerator = host.runtime.replyGenerator;
  host.runtime.replyGenerator = {
    generate: async () => ({
      text: 'Yes, we do!',
      handoff: false,
      lineage: { generator: 'instant', passageIds: [], confidence: 1 },
    }),
  };
  const secret = host.runtime.settings.META_APP_SECRET;
  const startedAt = new Map<string, number>();
  const latencies: number[] = [];
  host.graph.onSent = (record) => {
    const t0 = startedAt.get(record.recipient);
    if (t0 !== undefined && record.recipient.startsWith('e2e')) latencies.push(performance.now() - t0);
  };
  for (let i = 0; i < 20; i++) await post(`${host.url}/api/webhooks/meta`, payload(account, i, `warm${i}`), secret);
  await host.broker.whenIdle();
  for (let i = 0; i < E2E_MESSAGES; i++) {
    const user = `e2e${i}`;
    startedAt.set(user, performance.now());
    void post(`${host.url}/api/webhooks/meta`, payload(account, i, user), secret);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const deadline = Date.now() + 30_000;
  while (latencies.length < E2E_MESSAGES && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  host.runtime.replyGenerator = realGenerator;
  await host.stop();
  if (latencies.length < E2E_MESSAGES) throw new Error(`only ${latencies.length} of ${E2E_MESSAGES} replies arrived`);
  return latencies;
}
