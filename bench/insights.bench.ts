import { readFileSync } from 'node:fs';
import { LocalHost } from '../local/host.js';
import { seedTenant } from '../local/seed.js';
import { getTenant } from '../shared/accounts/tenants.js';
import type { ConversationDoc, MessageDoc } from '../shared/conversations/documents.js';
import { addDays, localDay } from '../shared/insights/local-time.js';
import { rulesOf } from '../shared/insights/metrics.js';
import { inParallel, rebuildTenant, scanCounts } from '../shared/insights/rebuild.js';
import { type Figure, percentile, round } from './figures.js';

function exampleValues(): Record<string, string> {
  return (
    JSON.parse(readFileSync(new URL('../../local.settings.example.json', import.meta.url), 'utf8')) as {
      Values: Record<string, string>;
    }
  ).Values;
}

const REASONS = ['asked_for_human', 'low_confidence', 'no_clear_match', 'content_filter'];

/** One conversation: a question, the bot's answer (or a handoff), spread over the last 90 days. */
function conversation(
  tenantId: string,
  i: number,
  now: number,
): { conversation: ConversationDoc; messages: MessageDoc[] } {
  const at = now - 2 * 86_400_000 - ((i * 7919) % (85 * 86_400)) * 1000;
  const id = `cv_bench_${i}`;
  const handoff = i % 5 === 0 ? (REASONS[(i / 5) % REASONS.length] as string) : undefined;
  const platform = i % 3 === 0 ? 'messenger' : 'instagram';
  const iso = new Date(at).toISOString();
  const base = {
    tenantId,
    type: 'message' as const,
    conversationId: id,
    contactId: `ct_bench_${i}`,
    channelId: 'ch_bench',
    platform,
    senderId: 'u',
    recipientId: 'p',
    createdAt: iso,
    updatedAt: iso,
  } as const;
  return {
    conversation: {
      id,
      tenantId,
      type: 'conversation',
      channelId: 'ch_bench',
      contactId: `ct_bench_${i}`,
      platform,
      state: handoff ? 'human' : 'bot',
      transitions: handoff
        ? [
            {
              from: 'bot',
              to: 'human',
              event: 'handoff',
              at: new Date(at + 2500).toISOString(),
              by: 'bot',
              reason: handoff,
            },
          ]
        : [],
      answeredThrough: at,
      unread: 0,
      createdAt: iso,
      updatedAt: iso,
    },
    messages: [
      {
        ...base,
        id: `in_bench_${i}`,
        direction: 'in',
        text: 'How much is a haircut?',
        timestamp: at,
        status: 'received',
      },
      {
        ...base,
        id: `out_bench_${i}`,
        direction: 'out',
        author: 'bot',
        text: 'It is 120 lei.',
        timestamp: at + 3000,
        status: 'sent',
        outbound: { outboundId: `rj_${i}`, part: 0, of: 1, attempts: 1, sentAt: at + 3000 },
        ...(handoff ? { lineage: { handoffReason: handoff } } : {}),
      },
    ],
  };
}

/**
 * The insights overview for a tenant with INSIGHTS_BENCH_CONVERSATIONS conversations (6,000 by
 * default: at 20,000 the scan baseline, one query over 40,000 messages, runs past the SDK's 60 s
 * request timeout on the embedded Cosmos server, whose query time grows faster than linearly), read
 * from the day counters through the HTTP route, against computing the same figures by scanning the
 * stored conversations and messages, in the same run.
 */
export async function run(): Promise<Figure[]> {
  const n = Number(process.env.INSIGHTS_BENCH_CONVERSATIONS ?? 6_000);
  const host = await LocalHost.start({ port: 0, values: exampleValues(), drainQueues: false });
  const rt = host.runtime;
  const tenantId = 'tn_bench_insights';
  await seedTenant(rt, {
    tenantId,
    companyName: 'Bench Salon',
    channels: [],
    members: [{ sub: 'auth0|bench', role: 'owner' }],
  });
  const now = rt.clock.now().getTime();
  const docs = Array.from({ length: n }, (_, i) => conversation(tenantId, i, now));
  let t0 = performance.now();
  await inParallel(docs, 48, async (d) => {
    await rt.cosmos.container('conversations').items.create(d.conversation);
    for (const m of d.messages) await rt.cosmos.container('messages').items.create(m);
  });
  const seedSeconds = (performance.now() - t0) / 1000;
  process.stderr.write(`  seeded ${n} conversations (${n * 3} documents) in ${round(seedSeconds, 1)} s\n`);

  // The counters, as the live path leaves them (the rebuild applies the same rules).
  t0 = performance.now();
  await rebuildTenant(rt, tenantId, { write: true });
  const rebuildSeconds = (performance.now() - t0) / 1000;

  const tenant = await getTenant(rt, tenantId);
  const rules = rulesOf(tenant?.bot ?? { timeZone: 'UTC', businessHours: {} });
  const to = localDay(now, rules.timeZone);
  const range = { from: addDays(to, -89), to };
  const token = await host.auth.token({ sub: 'auth0|bench', tenantId, role: 'owner' });
  const url = `${host.url}/api/v1/insights/overview?from=${range.from}&to=${range.to}`;
  const get = async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`overview answered ${res.status}`);
    return (await res.json()) as { figures: { conversationsStarted: number; messagesIn: number } };
  };
  for (let i = 0; i < 5; i++) await get();
  const overviewMs: number[] = [];
  let body = await get();
  for (let i = 0; i < 50; i++) {
    const s = performance.now();
    body = await get();
    overviewMs.push(performance.now() - s);
  }

  const scanMs: number[] = [];
  let scanned: Record<string, number> = {};
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    scanned = await scanCounts(rt, tenantId, range, rules);
    scanMs.push(performance.now() - s);
  }
  // Both must say the same, or the comparison means nothing.
  if (body.figures.conversationsStarted !== (scanned.started ?? 0) || body.figures.conversationsStarted !== n) {
    throw new Error(
      `overview (${body.figures.conversationsStarted}), scan (${scanned.started}) and seed (${n}) disagree`,
    );
  }
  await host.stop();
  const p50 = percentile(overviewMs, 50);
  const scanP50 = percentile(scanMs, 50);
  return [
    {
      name: `insights overview p50, ${n} conversations, 90 days (HTTP, auth included)`,
      value: round(p50, 1),
      unit: 'ms',
      baseline: { name: 'the same figures by scanning conversations and messages', value: round(scanP50, 1) },
      ratio: round(scanP50 / p50, 1),
      target: 'p50 < 50 ms and ratio >= 20',
    },
    { name: 'insights overview p99', value: round(percentile(overviewMs, 99), 1), unit: 'ms', baseline: null },
    {
      name: `insights rebuild of ${n} conversations (read, replay, write)`,
      value: round(rebuildSeconds, 1),
      unit: 's',
      baseline: null,
    },
  ];
}
