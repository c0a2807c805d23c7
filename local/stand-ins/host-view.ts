import type { Runtime } from '../../shared/platform/runtime.js';

/**
 * What a stand-in needs from the local host: its runtime and its base URL (kept narrow so stand-ins never import the
 * host).
 */
export interface HostView {
  readonly runtime: Runtime;
  readonly url: string;
}
