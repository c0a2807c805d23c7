import { log } from './log.js';
import type { Settings } from './settings.js';

let started = false;

/**
 * Exports traces, metrics and logs to Application Insights when its connection string is set;
 * otherwise does nothing. Loaded lazily so a cold start without it pays nothing.
 */
export function startTelemetry(settings: Settings): boolean {
  const connectionString = settings.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (started || !connectionString) return started;
  started = true;
  void import('@azure/monitor-opentelemetry')
    .then(({ useAzureMonitor }) => {
      useAzureMonitor({ azureMonitorExporterOptions: { connectionString } });
      log.info('telemetry.started');
    })
    .catch((error: unknown) => log.error('telemetry.failed', { error }));
  return true;
}
