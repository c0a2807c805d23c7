import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { tenantRepositoryOf } from '../accounts/index.js';
import { log } from '../platform/log.js';
import { QUEUES, type QueueMessage, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { cosmosEmailDedupRepository, type SentRecord, sentRecordId } from './email-dedup-repository.js';
import { marketingRefusal } from './marketing-refusal.js';
import { cosmosMarketingRepository } from './marketing-repository.js';
import { MARKETING_TEMPLATES, render } from './templates.js';
import { unsubscribeToken } from './unsubscribe.js';

type Job = QueueMessage<typeof QUEUES.emails>;

/** A claim older than this is taken over: its sender died before recording the outcome. */
const CLAIM_TIMEOUT_MS = 5 * 60_000;

const MAX_ATTEMPTS = 6;

let cached: { key: string; mail: MailService } | undefined;

function mailer(rt: Runtime): MailService {
  const key = `${rt.settings.SENDGRID_BASE_URL}|${rt.settings.SENDGRID_API_KEY}`;
  if (cached?.key !== key) {
    const client = new Client();
    client.setApiKey(rt.settings.SENDGRID_API_KEY);
    client.setDefaultRequest('baseUrl', rt.settings.SENDGRID_BASE_URL);
    const mail = new MailService();
    mail.setClient(client);
    cached = { key, mail };
  }
  return cached.mail;
}

/**
 * Sends one email through SendGrid, at most once per key. Transient failures (429, 5xx, network)
 * are retried later with backoff; after MAX_ATTEMPTS, or on a permanent refusal, the message is
 * failed so the broker dead-letters it with the reason. What remains possible: a crash after
 * SendGrid accepted the mail and before we recorded it sends it again on redelivery.
 */
export async function runEmailJob(rt: Runtime, job: Job): Promise<void> {
  const dedup = cosmosEmailDedupRepository(rt.cosmos);
  const now = rt.clock.now();
  const claim: SentRecord = {
    id: sentRecordId(job.key),
    type: 'email-sent',
    status: 'sending',
    template: job.template,
    claimedAt: now.toISOString(),
    ttl: 90 * 86_400,
  };
  if (!(await dedup.claimSend(claim))) {
    const existing = await dedup.getSend(job.key);
    if (!existing || existing.status === 'sent') return;
    // Another delivery of the same email is sending it right now: come back later and find it sent.
    if (now.getTime() - Date.parse(existing.claimedAt) < CLAIM_TIMEOUT_MS)
      throw new Error(`The ${job.template} email is being sent by another delivery`);
    await dedup.putSend(claim);
  }
  const marketing = MARKETING_TEMPLATES.has(job.template);
  const refusal = marketing
    ? await marketingRefusal({ marketing: cosmosMarketingRepository(rt.cosmos), tenants: tenantRepositoryOf(rt) }, job)
    : undefined;
  if (refusal) {
    await dedup.putSend({ ...claim, status: 'sent' });
    log.info(`email.skipped_${refusal}`, { template: job.template });
    return;
  }
  const { subject, text } = render(job.template, job.language, job.data);
  const unsubscribeUrl = `${rt.settings.PUBLIC_BASE_URL}/api/v1/marketing/unsubscribe?token=${unsubscribeToken(job.to, rt.settings.UNSUBSCRIBE_SECRET)}`;
  try {
    await mailer(rt).send({
      to: job.to,
      from: rt.settings.EMAIL_FROM,
      subject,
      text: marketing ? `${text}\n\nUnsubscribe: ${unsubscribeUrl}` : text,
      customArgs: { key: job.key },
      ...(marketing
        ? {
            headers: {
              'List-Unsubscribe': `<${unsubscribeUrl}>`,
              'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            },
          }
        : {}),
    });
  } catch (error) {
    const status = (error as { code?: number }).code ?? 0;
    const transient = status === 0 || status === 429 || status >= 500;
    log.warn('email.failed', { template: job.template, status, attempt: job.attempt, transient });
    await dedup.releaseSend(job.key);
    if (!transient || job.attempt + 1 >= MAX_ATTEMPTS)
      throw new Error(`SendGrid refused the ${job.template} email (HTTP ${status}) after ${job.attempt + 1} attempts`);
    const delay = Math.min(3_600_000, rt.settings.EMAIL_RETRY_BASE_MS * 2 ** job.attempt);
    await sendToQueue(
      rt.bus,
      QUEUES.emails,
      { ...job, attempt: job.attempt + 1 },
      { scheduledAt: new Date(rt.clock.now().getTime() + delay) },
    );
    return;
  }
  await dedup.putSend({ ...claim, status: 'sent', sentAt: rt.clock.now().toISOString() });
  log.info('email.sent', { template: job.template });
}
