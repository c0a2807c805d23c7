import type { Clock, Runtime } from '../platform/runtime.js';
import { cosmosEmailDedupRepository, type EmailDedupRepository } from './email-dedup-repository.js';
import { cosmosMarketingRepository, type MarketingRepository } from './marketing-repository.js';
import { type EmailJob, enqueueEmail } from './outbox.js';

/** What the email use-cases need from the world; a unit test passes memory versions. */
export interface EmailDeps {
  marketing: MarketingRepository;
  dedup: EmailDedupRepository;
  clock: Clock;
  sendEmail: (job: EmailJob) => Promise<void>;
  /** The public origin links in e-mails point to. */
  publicBaseUrl: string;
  /** Signs unsubscribe and confirmation links. */
  linkSecret: string;
}

export function emailDeps(rt: Runtime): EmailDeps {
  return {
    marketing: cosmosMarketingRepository(rt.cosmos),
    dedup: cosmosEmailDedupRepository(rt.cosmos),
    clock: rt.clock,
    sendEmail: (job) => enqueueEmail(rt, job),
    publicBaseUrl: rt.settings.PUBLIC_BASE_URL,
    linkSecret: rt.settings.UNSUBSCRIBE_SECRET,
  };
}
