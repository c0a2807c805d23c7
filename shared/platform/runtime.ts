import { BlobStore } from './blob.js';
import { BusPublisher } from './bus.js';
import { CosmosStore } from './cosmos.js';
import { configureLog } from './log.js';
import { createRealtimePublisher, type RealtimePublisher } from './realtime.js';
import type { Settings } from './settings.js';

/** What every handler needs: settings, stores, the bus and a clock that tests can move. */
export interface Runtime {
  settings: Settings;
  cosmos: CosmosStore;
  blob: BlobStore;
  bus: BusPublisher;
  /** Live events to browsers (Web PubSub); best-effort. */
  realtime: RealtimePublisher;
  clock: Clock;
}

/** The time source; the privacy conformance suite moves it forward. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Builds the clients from settings. Nothing connects until first use. */
export function createRuntime(settings: Settings, clock: Clock = systemClock): Runtime {
  configureLog({ level: settings.LOG_LEVEL });
  return {
    settings,
    cosmos: new CosmosStore({
      endpoint: settings.COSMOS_ENDPOINT,
      key: settings.COSMOS_KEY,
      database: settings.COSMOS_DATABASE,
    }),
    blob: new BlobStore({ connectionString: settings.BLOB_CONNECTION_STRING, accountUrl: settings.BLOB_ACCOUNT_URL }),
    bus: new BusPublisher({
      connectionString: settings.ServiceBusConnection,
      fullyQualifiedNamespace: settings.ServiceBusConnection__fullyQualifiedNamespace,
      timeoutMs: settings.BUS_SEND_TIMEOUT_MS,
    }),
    realtime: createRealtimePublisher(settings),
    clock,
  };
}

/**
 * How platform wrappers reach the runtime: a getter that functions/ (the composition root) passes
 * them, so platform holds no runtime of its own and never builds one.
 */
export type RuntimeSource<R extends Runtime = Runtime> = () => R;

/** Closes the clients of a runtime. */
export async function disposeRuntime(rt: Runtime): Promise<void> {
  await rt.bus.close();
  rt.cosmos.dispose();
}
