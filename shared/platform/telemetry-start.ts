import { AzureFunctionsInstrumentation } from '@azure/functions-opentelemetry-instrumentation';
import { useAzureMonitor } from '@azure/monitor-opentelemetry';
import { trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { azureCredential } from './identity.js';
import { startTelemetry } from './telemetry.js';

/**
 * Loaded first by the Functions worker (package.json "main" lists it before the functions), so
 * telemetry is on before any app module is imported. Does nothing without the connection string.
 */
startTelemetry(process.env, {
  useAzureMonitor,
  registerFunctionsInstrumentation: () =>
    registerInstrumentations({
      tracerProvider: trace.getTracerProvider(),
      loggerProvider: logs.getLoggerProvider(),
      instrumentations: [new AzureFunctionsInstrumentation()],
    }),
  credential: azureCredential,
});
