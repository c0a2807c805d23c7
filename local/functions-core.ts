import Module from 'node:module';

/**
 * The local host's `@azure/functions-core`. On Azure the Node worker provides this module and
 * `@azure/functions` hands it every `app.http` / `app.serviceBusQueue` / `app.timer` call. Providing
 * it here means the local host sees exactly the registrations Azure would, with no second list.
 */

/** A binding as `@azure/functions` describes it to the host. */
export interface BindingInfo {
  type: string;
  direction: 'in' | 'out';
  name: string;
  route?: string;
  methods?: string[];
  authLevel?: string;
  queueName?: string;
  connection?: string;
  isSessionsEnabled?: boolean;
  schedule?: string;
  runOnStartup?: boolean;
  [key: string]: unknown;
}

/** One registered function: its name, its trigger binding and the handler. */
export interface Registration {
  name: string;
  trigger: BindingInfo;
  bindings: Record<string, BindingInfo>;
  handler: (...args: unknown[]) => unknown;
  /** The file that registered it, so a host can take only its own folder's functions. */
  source: string;
}

class Disposable {
  constructor(private readonly onDispose: () => void) {}
  dispose(): void {
    this.onDispose();
  }
}

// Kept on globalThis so that every copy of this module in a process (test runners load it more than
// once) shares the registry that `@azure/functions` captured first.
const shared = globalThis as typeof globalThis & {
  __aliatFunctionsCore?: { registry: Map<string, Registration>; installed: boolean };
};
shared.__aliatFunctionsCore ??= { registry: new Map(), installed: false };
const state = shared.__aliatFunctionsCore;
const registry = state.registry;

/** The first stack frame outside node_modules and this file: the function file calling app.*. */
function callerFile(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  for (const frame of frames) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?$/.exec(frame.trim());
    const file = m?.[1]?.replace(/^file:\/\//, '');
    if (file && !file.includes('node_modules') && !file.includes('functions-core')) return file;
  }
  return '';
}

const coreApi = {
  hostVersion: '4.0.0-aliat-local',
  Disposable,
  registerFunction(
    metadata: { name: string; bindings: Record<string, BindingInfo> },
    handler: Registration['handler'],
  ) {
    const trigger = Object.values(metadata.bindings).find((b) => b.direction === 'in' && b.type.endsWith('Trigger'));
    if (!trigger) throw new Error(`Function "${metadata.name}" has no trigger binding`);
    registry.set(metadata.name, {
      name: metadata.name,
      trigger,
      bindings: metadata.bindings,
      handler,
      source: callerFile(),
    });
    return new Disposable(() => registry.delete(metadata.name));
  },
  setProgrammingModel(_model: unknown) {},
  getProgrammingModel() {
    return undefined;
  },
  registerHook(_name: string, _callback: unknown) {
    return new Disposable(() => {});
  },
  log(_level: string, _category: string, _message: string) {},
};

/** Makes `require('@azure/functions-core')` answer with the local host's core API, as the Azure worker does. */
export function installFunctionsCore(): void {
  if (state.installed) return;
  state.installed = true;
  const proto = Module.prototype as unknown as { require: (id: string) => unknown };
  const original = proto.require;
  proto.require = function patchedRequire(this: unknown, id: string) {
    if (id === '@azure/functions-core') return coreApi;
    return original.call(this, id);
  };
}

/** Every function registered so far in this process. */
export function registrations(): Registration[] {
  return [...registry.values()];
}
