import type { Runtime } from '../platform/runtime.js';

type EntitlementCheck = (r: Runtime, tenantId: string) => Promise<boolean>;

let check: EntitlementCheck = async () => true;

/** Whether the tenant may have the bot answer; the billing slice installs the real check. */
export function isEntitled(r: Runtime, tenantId: string): Promise<boolean> {
  return check(r, tenantId);
}

/** Installs the entitlement check (billing does this at start-up). */
export function setEntitlementCheck(next: EntitlementCheck): void {
  check = next;
}
