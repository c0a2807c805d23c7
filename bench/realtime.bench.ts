import { readFileSync } from 'node:fs';
import { WebPubSubClient, WebPubSubJsonProtocol } from '@azure/web-pubsub-client';
import { LocalHost } from '../local/host.js';
import { seedTenant } from '../local/seed.js';
import { signMetaBody } from '../shared/messaging/signature.js';
import { type Figure, percentile, round } from './figures.js';

const MESSAGES = 50;

function exampleValues(): Record<string, string> {
  const file = JSON.parse(readFileSync(new URL('../../local.settings.example.json', import.meta.url), 'utf8')) as {
    Values: Record<string, string>;
  };
  return file.Values;
}

/**
 * The live inbox's latency: a DM posted to the webhook until the browser-side client receives its
 * `message.created` event, against the webhook's own answer time for the same requests. The issue's
 * budget is one second.
 */
export async function run(): Promise<Figure[]> {
  const host = await LocalHost.start({ port: 0, values: { ...exampleValues(), BURST_WAIT_MS: '0' } });
  const realGenerator = host.runtime.replyGenerator;
  try {
    const account = '17841488888888888';
    await seedTenant(host.runtime, {
      tenantId: 'tn_bench_live',
      companyName: 'Live Salon',
      members: [{ sub: 'auth0|bench', role: 'owner' }],
      bot: { aiDisclosure: false },
      channels: [
        { platform: 'instagram', accountId: account, sendAsId: '100088888888', name: 'live', token: 'EAAlive' },
      ],
    });
    host.runtime.replyGenerator = {
      generate: async () => ({
        text: 'Yes!',
        handoff: false,
        lineage: { generator: 'instant', passageIds: [], confidence: 1 },
      }),
    };
    const token = await host.auth.token({ sub: 'auth0|bench', role: 'owner', tenantId: 'tn_bench_live' });
    const negotiated = (await (
      await fetch(`${host.url}/api/v1/realtime/negotiate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { url: string };
    const client = new WebPubSubClient(negotiated.url, { protocol: WebPubSubJsonProtocol() });
    const arrived = new Map<string, number>();
    client.on('group-message', (e) => {
      const data = e.message.data as { type?: string; preview?: string };
      if (data.type === 'message.created' && data.preview?.startsWith('live '))
        arrived.set(data.preview, performance.now());
    });
    await client.start();
    const secret = host.runtime.settings.META_APP_SECRET;
    const sent = new Map<string, number>();
    const answers: number[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const now = Date.now();
      const text = `live ${i}`;
      const body = JSON.stringify({
        object: 'instagram',
        entry: [
          {
            id: account,
            time: now,
            messaging: [
              {
                sender: { id: `live${i}` },
                recipient: { id: account },
                timestamp: now,
                message: { mid: `live_${i}_${now}`, text },
              },
            ],
          },
        ],
      });
      const t0 = performance.now();
      sent.set(text, t0);
      const res = await fetch(`${host.url}/api/webhooks/meta`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(body, secret) },
        body,
      });
      await res.arrayBuffer();
      answers.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const deadline = Date.now() + 30_000;
    while (arrived.size < MESSAGES && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await client.stop();
    const latencies = [...arrived].map(([text, at]) => at - (sent.get(text) ?? at));
    if (latencies.length < MESSAGES) throw new Error(`only ${latencies.length} of ${MESSAGES} live events arrived`);
    const baseline = { name: 'webhook answer (200) for the same DMs', value: round(percentile(answers, 50)) };
    return [
      {
        name: 'DM to live inbox event p50 (5 msg/s)',
        value: round(percentile(latencies, 50)),
        unit: 'ms',
        baseline,
        ratio: round(baseline.value / percentile(latencies, 50), 3),
        target: '< 1000 ms',
      },
      {
        name: 'DM to live inbox event p99 (5 msg/s)',
        value: round(percentile(latencies, 99)),
        unit: 'ms',
        baseline: { name: 'webhook answer p99', value: round(percentile(answers, 99)) },
        ratio: round(percentile(answers, 99) / percentile(latencies, 99), 3),
        target: '< 1000 ms',
      },
    ];
  } finally {
    host.runtime.replyGenerator = realGenerator;
    await host.stop();
  }
}
