import { parseArgs } from 'node:util';
import { requireHost } from './host-url.js';

/**
 * `npm run dead-letters -- list [--queue q]`, `replay --queue q (--seq n … | --all)`,
 * `discard --queue q (--seq n … | --all)`: the staff dead-letter endpoint from a terminal.
 * ALIAT_URL (or PORT; default http://localhost:7071) and ALIAT_TOKEN (a staff token with MFA) say where and
 * as whom; locally, without ALIAT_TOKEN, a staff token comes from the local issuer.
 */
async function main(): Promise<void> {
  const { values: args, positionals } = parseArgs({
    allowPositionals: true,
    options: { queue: { type: 'string' }, seq: { type: 'string', multiple: true }, all: { type: 'boolean' } },
  });
  const [command = 'list'] = positionals;
  const base = await requireHost();
  let token = process.env.ALIAT_TOKEN;
  if (!token) {
    const res = await fetch(`${base}/local/auth/token`, {
      method: 'POST',
      body: JSON.stringify({ sub: 'cli|operator', role: 'staff', mfa: true }),
    });
    if (!res.ok) throw new Error('Set ALIAT_TOKEN to a staff access token (with MFA).');
    token = ((await res.json()) as { access_token: string }).access_token;
  }
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let res: Response;
  if (command === 'list') {
    res = await fetch(`${base}/api/v1/staff/dead-letters${args.queue ? `?queue=${args.queue}` : ''}`, { headers });
  } else if (command === 'replay' || command === 'discard') {
    if (!args.queue) throw new Error(`${command} needs --queue`);
    const body = args.all ? { all: true } : { sequenceNumbers: (args.seq ?? []).map(Number) };
    res = await fetch(`${base}/api/v1/staff/dead-letters/${args.queue}/${command}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
  } else {
    throw new Error(`Unknown command ${command}: use list, replay or discard`);
  }
  const text = await res.text();
  process.stdout.write(`${res.status} ${text}\n`);
  if (!res.ok) process.exit(1);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
