import type { AccessToken, TokenCredential } from '@azure/identity';
import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';
import { describe, expect, it } from 'vitest';
import { startTelemetry, telemetryOptions } from '../../shared/platform/telemetry.js';

const credential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }),
};

describe('telemetry', () => {
  it('hands the distro the managed identity credential with the connection string (App Insights local auth is off)', () => {
    const options = telemetryOptions(
      'InstrumentationKey=x;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/',
      credential,
    );
    expect(options.azureMonitorExporterOptions?.credential).toBe(credential);
    expect(options.azureMonitorExporterOptions?.connectionString).toMatch(/^InstrumentationKey=x;/);
  });

  it('starts once, with the credential, only when the connection string is set, and registers the Functions instrumentation', () => {
    const calls: AzureMonitorOpenTelemetryOptions[] = [];
    let registered = 0;
    const parts = {
      useAzureMonitor: (o: AzureMonitorOpenTelemetryOptions) => calls.push(o),
      registerFunctionsInstrumentation: () => registered++,
      credential: () => credential,
    };
    expect(startTelemetry({}, parts)).toBe(false);
    expect(calls).toHaveLength(0);
    expect(startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=y' }, parts)).toBe(true);
    expect(startTelemetry({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=y' }, parts)).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.azureMonitorExporterOptions?.credential).toBe(credential);
    expect(registered).toBe(1);
  });

  it('is loaded by the Functions worker before any function module', async () => {
    const pkg = JSON.parse(
      await import('node:fs').then((fs) => fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')),
    );
    expect(pkg.main).toBe('dist/{shared/platform/telemetry-start.js,functions/*.js}');
  });
});
