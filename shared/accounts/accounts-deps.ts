import type { AuditPort } from '../audit/index.js';
import { auditTo } from '../audit/index.js';
import { enqueueEmail } from '../email/index.js';
import type { QueueInput } from '../platform/queues.js';
import { QUEUES, sendToQueue } from '../platform/queues.js';
import type { Clock, Runtime } from '../platform/runtime.js';
import type { BotSettings } from './bot-settings.js';
import { botDefaultsOf } from './tenant-doc.js';
import { cosmosTenantRepository, type TenantRepository } from './tenant-repository.js';

type EmailJob = Parameters<typeof enqueueEmail>[1];

/** What the accounts use-cases need from the world; a unit test passes memory versions. */
export interface AccountsDeps {
  tenants: TenantRepository;
  audit: AuditPort;
  clock: Clock;
  sendEmail: (job: EmailJob) => Promise<void>;
  /** Asks the privacy slice to erase an account (its jobs queue). */
  requestErasure: (job: QueueInput<typeof QUEUES.privacyJobs>) => Promise<void>;
  botDefaults: BotSettings;
  /** Where invitation links point, without a trailing slash. */
  dashboardUrl: string;
}

/** The accounts use-cases' dependencies, on a runtime's real stores. */
export function accountsDeps(rt: Runtime): AccountsDeps {
  const botDefaults = botDefaultsOf(rt.settings);
  return {
    tenants: cosmosTenantRepository(rt.cosmos, botDefaults),
    audit: auditTo(rt),
    clock: rt.clock,
    sendEmail: (job) => enqueueEmail(rt, job),
    requestErasure: (job) => sendToQueue(rt.bus, QUEUES.privacyJobs, job),
    botDefaults,
    dashboardUrl: (
      rt.settings.DASHBOARD_URL ??
      rt.settings.DASHBOARD_ORIGINS[0] ??
      rt.settings.PUBLIC_BASE_URL
    ).replace(/\/$/, ''),
  };
}
