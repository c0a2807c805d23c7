import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { getTenant } from '../accounts/index.js';
import { createOnce, readDoc } from '../platform/document-store.js';
import { log } from '../platform/log.js';
import { QUEUES, type QueueMessage, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { type ObjectionDoc, objectionId, type ProspectDoc } from './marketing-api.js';
import { MARKETING_TEMPLATES, render } from './templates.js';
import { emailKey, unsubscribeToken } from './unsubscribe.js';

type Job = QueueMessage<typeof QUEUES.emails>;

/** What the dedup container remembers of an email: the key, its state and when, never the address or text. */
interface SentRecord {
  id: string;
  type: 'email-sent';
  status: 'sending' | 'sent';
  template: string;
  claimedAt: string;
  sentAt?: string;
  ttl: number;
}

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

/** Marketing objections by address key (Art. 21). */
export async function hasObjected(rt: Runtime, email: string): Promise<boolean> {
  const id = objectionId(emailKey(email));
  return Boolean(await readDoc<ObjectionDoc>(rt.cosmos.container('marketing'), id, id));
}

/**
 * §6 and Art. 21, checked at send time, not only when the mail was queued: marketing goes only to
 * someone who has not objected, and who is either an existing Customer (the soft opt-in: the
 * job names their tenant and they are its owner) or a prospect whose consent is on record and not
 * withdrawn. Returns why not, or undefined when it may go.
 */
export async function marketingRefusal(
  rt: Runtime,
  job: Pick<Job, 'to' | 'tenantId'>,
): Promise<'objection' | 'no_consent' | undefined> {
  if (await hasObjected(rt, job.to)) return 'objection';
  const address = job.to.trim().toLowerCase();
  if (job.tenantId) {
    const tenant = await getTenant(rt, job.tenantId);
    if (tenant?.owner?.email?.trim().toLowerCase() === address && tenant.status !== 'closed') return undefined;
  }
  const key = emailKey(job.to);
  const prospect = await readDoc<ProspectDoc>(rt.cosmos.container('marketing'), key, key);
  return prospect?.consentAt && !prospect.withdrawnAt ? undefined : 'no_consent';
}

/**
 * Sends one email through SendGrid, at most once per key. Transient failures (429, 5xx, network)
 * are retried later with backoff; after MAX_ATTEMPTS, or on a permanent refusal, the message is
 * failed so the broker dead-letters it with the reason. What remains possible: a crash after
 * SendGrid accepted the mail and before we recorded it sends it again on redelivery.
 */
export async function runEmailJob(rt: Runtime, job: Job): Promise<void> {
  const dedupId = `email:${job.key}`;
  const dedup = rt.cosmos.container('dedup');
  const now = rt.clock.now();
  const claim: SentRecord = {
    id: dedupId,
    type: 'email-sent',
    status: 'sending',
    template: job.template,
    claimedAt: now.toISOString(),
    ttl: 90 * 86_400,
  };
  if (!(await createOnce(dedup, claim))) {
    const existing = await readDoc<SentRecord>(dedup, dedupId, dedupId);
    if (!existing || existing.status === 'sent') return;
    // Another delivery of the same email is sending it right now: come back later and find it sent.
    if (now.getTime() - Date.parse(existing.claimedAt) < CLAIM_TIMEOUT_MS)
      throw new Error(`The ${job.template} email is being sent by another delivery`);
    await dedup.items.upsert(claim);
  }
  const marketing = MARKETING_TEMPLATES.has(job.template);
  const refusal = marketing ? await marketingRefusal(rt, job) : undefined;
  if (refusal) {
    await dedup.items.upsert({ ...claim, status: 'sent' });
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
    await dedup
      .item(dedupId, dedupId)
      .delete()
      .catch(() => undefined);
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
  await dedup.items.upsert({ ...claim, status: 'sent', sentAt: rt.clock.now().toISOString() });
  log.info('email.sent', { template: job.template });
}
