import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { LocalHost, type LocalHostOptions } from '../../local/host.js';

/** Settings that point a test host at the run's shared embedded servers, with a database of its own. */
export function sharedStoreValues(): Record<string, string> {
  return {
    ...exampleValues(),
    ALIAT_ENV: 'test',
    COSMOS_ENDPOINT: inject('cosmosEndpoint'),
    COSMOS_KEY: inject('cosmosKey'),
    COSMOS_DATABASE: `test-${randomUUID().slice(0, 8)}`,
    BLOB_CONNECTION_STRING: inject('blobConnectionString'),
    // Swept at once, so a test waiting for the broker to go idle does not wait 15 minutes; account-sweep.test.ts runs
    // the real delay on a moved clock.
    ACCOUNT_SWEEP_DELAY_MS: '0',
  };
}

/** Starts a local host on a free port against the shared stores. */
export function startTestHost(options: LocalHostOptions = {}): Promise<LocalHost> {
  return LocalHost.start({
    port: 0,
    redeliveryDelayMs: 5,
    ...options,
    values: { ...sharedStoreValues(), ...options.values },
  });
}

/** The committed local defaults (local.settings.example.json), as a test's starting point. */
export function exampleValues(): Record<string, string> {
  const file = JSON.parse(readFileSync(new URL('../../local.settings.example.json', import.meta.url), 'utf8')) as {
    Values: Record<string, string>;
  };
  return file.Values;
}
