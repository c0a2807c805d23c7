import { parseArgs } from 'node:util';

/**
 * `npm run insights:rebuild -- [--tenant <id>] [--check]`: recomputes the insights counters from
 * stored messages and transitions and prints where they differ from the live counters. Without
 * --check the recomputed counters replace the stored ones. Runs through the staff endpoint, so it
 * works against `npm start` and a deployment alike: ALIAT_URL (default http://localhost:7071) and
 * ALIAT_TOKEN (a staff token with MFA; locally one comes from the local issuer).
 * Exits 2 when --check finds a difference.
 */
async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { tenant: { type: 'string' }, check: { type: 'boolean' } } });
  const base = process.env.ALIAT_URL ?? 'http://localhost:7071';
  let token = process.env.ALIAT_TOKEN;
  if (!token) {
    const res = await fetch(`${base}/local/auth/token`, {
      method: 'POST',
      body: JSON.stringify({ sub: 'cli|operator', role: 'staff', mfa: true }),
    });
    if (!res.ok) throw new Error('Set ALIAT_TOKEN to a staff access token (with MFA).');
    token = ((await res.json()) as { access_token: string }).access_token;
  }
  const res = await fetch(`${base}/api/v1/staff/insights/rebuild`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...(args.tenant ? { tenantId: args.tenant } : {}), write: !args.check }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text}`);
  const { reports } = JSON.parse(text) as {
    reports: Array<{
      tenantId: string;
      conversations: number;
      messages: number;
      days: number;
      written: boolean;
      mismatches: unknown[];
    }>;
  };
  for (const rep of reports) {
    process.stdout.write(
      `${rep.tenantId}: ${rep.conversations} conversations, ${rep.messages} messages, ${rep.days} day counters, ${rep.mismatches.length} differences${rep.written ? ', rewritten' : ''}\n`,
    );
    for (const m of rep.mismatches) process.stdout.write(`  ${JSON.stringify(m)}\n`);
  }
  if (args.check && reports.some((rep) => rep.mismatches.length > 0)) process.exit(2);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
