import type { TokenCredential } from '@azure/identity';
import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';

/**
 * What the distro is started with: the connection string, and the identity, since App Insights refuses keys (local auth
 * off).
 */
export function telemetryOptions(
  connectionString: string,
  credential: TokenCredential,
): AzureMonitorOpenTelemetryOptions {
  return {
    azureMonitorExporterOptions: { connectionString, credential },
    // The Functions host exports its own request spans (host.json telemetryMode); ours join them.
    instrumentationOptions: { http: { enabled: true }, azureSdk: { enabled: true } },
  };
}

/** The pieces startTelemetry wires together, passed in so a test can watch what the distro receives. */
export interface TelemetryParts {
  useAzureMonitor(options: AzureMonitorOpenTelemetryOptions): void;
  /** Registers the Functions instrumentation, which parents our spans under the host's invocation span. */
  registerFunctionsInstrumentation(): void;
  credential(): TokenCredential;
}

let started = false;

/**
 * Starts OpenTelemetry export to Application Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is
 * set; otherwise does nothing. Called from telemetry-start.ts, which the worker loads before any
 * function module, so the HTTP and Azure SDK instrumentations patch modules before the app loads them.
 */
export function startTelemetry(env: Record<string, string | undefined>, parts: TelemetryParts): boolean {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (started || !connectionString) return started;
  parts.useAzureMonitor(telemetryOptions(connectionString, parts.credential()));
  parts.registerFunctionsInstrumentation();
  started = true;
  return true;
}
