import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { json } from '../platform/http.js';
import { QUEUES, type QueueDefinition } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { checkDependencies, type DependencyCheck } from './check.js';

const CHECK_TIMEOUT_MS = 3000;

/** The checks for every dependency the app has. */
export function dependencyChecks(rt: Runtime): DependencyCheck[] {
  const firstQueue = (Object.values(QUEUES) as QueueDefinition[])[0];
  return [
    { name: 'cosmos', check: () => rt.cosmos.ping() },
    { name: 'blob', check: () => rt.blob.ping() },
    ...(firstQueue ? [{ name: 'serviceBus', check: () => rt.bus.ping(firstQueue.name) }] : []),
  ];
}

/** GET /api/health: 200 with each dependency's state, or 503 naming the ones that are down. */
export async function healthHandler(rt: Runtime, _request: HttpRequest): Promise<HttpResponseInit> {
  const dependencies = await checkDependencies(dependencyChecks(rt), CHECK_TIMEOUT_MS);
  const down = dependencies.filter((d) => d.status === 'down').map((d) => d.name);
  const body = { status: down.length === 0 ? 'ok' : 'degraded', down, dependencies };
  return json(down.length === 0 ? 200 : 503, body, { 'cache-control': 'no-store' });
}
