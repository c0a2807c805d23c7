import { BlobStore } from './blob.js';
import { BusPublisher } from './bus.js';
import { CosmosStore } from './cosmos.js';
import { configureLog } from './log.js';
import { createRealtimePublisher, type RealtimePublisher } from './realtime.js';
import { parseSettings, type Settings } from './settings.js';

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

let current: Runtime | undefined;

/**
 * The process-wide runtime. In Azure it is built from app settings on first use (cold start), and an
 * invalid setting fails that start with one message naming each bad setting.
 */
export function runtime(): Runtime {
  current ??= createRuntime(parseSettings(process.env));
  return current;
}

/** The installed runtime, if any, without building one. */
export function currentRuntime(): Runtime | undefined {
  return current;
}

/** Installs a runtime (the local host and tests do this). */
export function setRuntime(next: Runtime | undefined): void {
  current = next;
}

/** Closes the clients of a runtime. */
export async function disposeRuntime(rt: Runtime): Promise<void> {
  await rt.bus.close();
  rt.cosmos.dispose();
}
