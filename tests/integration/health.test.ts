import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedCosmos } from '../../local/embedded-cosmos.js';
import { LocalHost } from '../../local/host.js';
import { exampleValues, startTestHost } from '../helpers/host.js';

describe('GET /api/health', () => {
  const hosts: LocalHost[] = [];
  afterAll(async () => {
    for (const h of hosts) await h.stop();
  });

  it('starts the whole platform on its embedded defaults and answers 200 with each dependency', async () => {
    const host = await LocalHost.start({ port: 0, values: exampleValues() });
    hosts.push(host);
    const res = await fetch(`${host.url}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { down: string[]; dependencies: Array<{ name: string; status: string }> };
    expect(body.dependencies.map((d: { name: string; status: string }) => `${d.name}:${d.status}`)).toEqual([
      'cosmos:up',
      'blob:up',
      'serviceBus:up',
    ]);
  });

  it('answers 503 naming the dependency that is down', async () => {
    const cosmos = new EmbeddedCosmos();
    await cosmos.start();
    const host = await startTestHost({ values: { COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: cosmos.key } });
    hosts.push(host);
    await cosmos.stop();
    const res = await fetch(`${host.url}/api/health`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { down: string[]; dependencies: Array<{ name: string; status: string }> };
    expect(body.down).toEqual(['cosmos']);
    expect(res.headers.get('content-type')).toBe('application/json');
  });
});
