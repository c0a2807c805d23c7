import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CosmosClient } from '@azure/cosmos';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, describe, expect, it } from 'vitest';
import { azuriteConnectionString } from '../../local/embedded-azurite.js';
import { EmbeddedCosmos } from '../../local/embedded-cosmos.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  base: string;
  output: () => string;
  cosmos: string;
  blobPort: number;
}

/** Runs the built app as `npm start` does, with its data folder in `dataDir`, and waits for health. */
async function start(dataDir: string, args: string[] = []): Promise<Running> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['dist/local/start.js', ...args], {
    cwd: root,
    env: { ...process.env, PORT: String(port), ALIAT_LOCAL_DATA: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const base = `http://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await fetch(`${base}/api/health`).catch(() => undefined))?.status === 200) {
      const cosmos = /cosmos\s+(http:\/\/127\.0\.0\.1:\d+) \(embedded\)/.exec(output)?.[1] as string;
      const blobPort = Number(/blob\s+http:\/\/127\.0\.0\.1:(\d+) \(Azurite\)/.exec(output)?.[1]);
      return { child, base, output: () => output, cosmos, blobPort };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`health did not answer 200 within 60 s:\n${output}`);
}

async function stop(running: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => running.child.once('exit', resolve));
  running.child.kill('SIGINT');
  return exited;
}

const cosmosKey = new EmbeddedCosmos().key;
const probe = { id: 'restart-probe', tenantId: 'tn_restart_probe', type: 'probe', note: 'written before the stop' };

async function readProbe(endpoint: string): Promise<unknown> {
  const client = new CosmosClient({ endpoint, key: cosmosKey, connectionPolicy: { enableEndpointDiscovery: false } });
  try {
    const { resource } = await client.database('aliat').container('tenants').item(probe.id, probe.tenantId).read();
    return resource ? { id: resource.id, note: resource.note } : undefined;
  } finally {
    client.dispose();
  }
}

async function readBlob(port: number): Promise<string | undefined> {
  const blob = BlobServiceClient.fromConnectionString(azuriteConnectionString(port))
    .getContainerClient('knowledge')
    .getBlockBlobClient('restart-probe.txt');
  if (!(await blob.exists())) return undefined;
  return (await blob.downloadToBuffer()).toString('utf8');
}

const jwks = async (base: string) =>
  (await (await fetch(`${base}/local/auth/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };

describe('npm start keeps its data between runs', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aliat-local-data-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finds the documents, blobs and signing key written before the stop after a restart, and none after --fresh', async () => {
    const first = await start(dataDir);
    const client = new CosmosClient({
      endpoint: first.cosmos,
      key: cosmosKey,
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    await client.database('aliat').container('tenants').items.upsert(probe);
    client.dispose();
    await BlobServiceClient.fromConnectionString(azuriteConnectionString(first.blobPort))
      .getContainerClient('knowledge')
      .getBlockBlobClient('restart-probe.txt')
      .upload('kept', 4);
    const keyBefore = (await jwks(first.base)).keys[0]?.kid;
    expect(await stop(first)).toBe(0);
    expect(first.output()).toMatch(/Saved [1-9]\d* Cosmos documents to .*cosmos-snapshot\.json/);

    const second = await start(dataDir);
    try {
      expect(second.output()).toMatch(/[1-9]\d* Cosmos documents loaded from the last run/);
      expect(await readProbe(second.cosmos)).toEqual({ id: probe.id, note: probe.note });
      expect(await readBlob(second.blobPort)).toBe('kept');
      expect((await jwks(second.base)).keys[0]?.kid).toBe(keyBefore);
    } finally {
      expect(await stop(second)).toBe(0);
    }

    const fresh = await start(dataDir, ['--fresh']);
    try {
      expect(fresh.output()).toContain('--fresh: emptied the local data folder');
      expect(
        await readProbe(fresh.cosmos).catch((e: { code?: number }) => (e.code === 404 ? undefined : Promise.reject(e))),
      ).toBeUndefined();
      expect(await readBlob(fresh.blobPort)).toBeUndefined();
      expect((await jwks(fresh.base)).keys[0]?.kid).not.toBe(keyBefore);
    } finally {
      await stop(fresh);
    }
  }, 180_000);
});
