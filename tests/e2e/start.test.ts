import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

// Runs the built app exactly as `npm start` does (npm test builds it first).
describe('npm start: the whole platform on embedded defaults', () => {
  let child: ChildProcess;
  let base = '';
  let output = '';
  // Its own data folder, so a test run never touches the developer's .local-data/.
  const dataDir = mkdtempSync(join(tmpdir(), 'aliat-start-'));

  beforeAll(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    child = spawn(process.execPath, ['dist/local/start.js'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), BURST_WAIT_MS: '100', ALIAT_LOCAL_DATA: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const res = await fetch(`${base}/api/health`).catch(() => undefined);
      if (res?.status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`health did not answer 200 within 60 s:\n${output}`);
  }, 70_000);

  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  });

  it('prints where everything is', () => {
    expect(output).toMatch(/health\s+http:\/\/localhost:\d+\/api\/health/);
    expect(output).toMatch(/cosmos\s+http:\/\/127\.0\.0\.1:\d+ \(embedded\)/);
  });

  it('serves the demo salon at /local/demo', async () => {
    const demo = (await (await fetch(`${base}/local/demo`)).json()) as Record<string, string>;
    expect(demo).toMatchObject({
      tenantId: 'tn_demo_salon',
      pageId: expect.any(String),
      instagramAccountId: expect.any(String),
      appSecret: expect.any(String),
      verifyToken: expect.any(String),
    });
  });

  it('answers a simulated Instagram DM through the Graph sandbox', async () => {
    const { stdout } = await run(process.execPath, ['dist/scripts/simulate.js', 'Do you do balayage?'], {
      cwd: root,
      env: { ...process.env, ALIAT_URL: base },
    });
    expect(stdout).toMatch(/webhook answered 200/);
    expect(stdout).toMatch(/← RESPONSE: /);
  });

  it('answers a simulated Messenger DM to a connected Page (SIMULATE_PAGE)', async () => {
    const demo = (await (await fetch(`${base}/local/demo`)).json()) as { pageId: string };
    const user = `psid${Date.now()}`;
    const { stdout } = await run(process.execPath, ['dist/scripts/simulate.js', 'Cât costă balayage?'], {
      cwd: root,
      env: { ...process.env, ALIAT_URL: base, SIMULATE_PAGE: demo.pageId, SIMULATE_USER: user },
    });
    expect(stdout).toMatch(/webhook answered 200/);
    expect(stdout).toMatch(/← RESPONSE: .*450/);
    const sent = (await (await fetch(`${base}/local/graph/messages`)).json()) as {
      data: Array<{ recipient: string; platform?: string }>;
    };
    expect(sent.data.filter((m) => m.recipient === user).map((m) => m.platform)).toEqual(['messenger']);
  });

  it('shuts down cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopping the local host');
  });
});
