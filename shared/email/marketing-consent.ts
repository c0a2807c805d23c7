import { InvalidInputError } from '../platform/domain-errors.js';
import type { PendingOptinDoc } from './email-dedup-repository.js';
import { pendingOptinId } from './email-dedup-repository.js';
import type { EmailDeps } from './email-deps.js';
import type { ProspectDoc } from './marketing-repository.js';
import { newOptinNonce, optinToken, verifyOptinToken } from './optin-token.js';
import { emailKey, verifyUnsubscribeToken } from './unsubscribe.js';

/** How long a confirmation link works; the pending request lives no longer than its link. */
const OPTIN_TTL_MS = 48 * 3_600_000;

/**
 * A prospect asks to subscribe: nothing is recorded as consent and no objection is lifted, only a
 * signed single-use link is mailed to the address (double opt-in). The answer is the same whether
 * or not the address is known or has objected.
 */
export async function requestSubscription(
  deps: Pick<EmailDeps, 'dedup' | 'clock' | 'sendEmail' | 'publicBaseUrl' | 'linkSecret'>,
  input: { email: string; source: string; language: 'en' | 'ro' },
): Promise<{ subscribed: false; confirmationSent: true }> {
  const email = input.email.trim().toLowerCase();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + OPTIN_TTL_MS);
  const nonce = newOptinNonce();
  const pending: PendingOptinDoc = {
    id: pendingOptinId(nonce),
    type: 'optin-pending',
    email,
    source: input.source,
    requestedAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    ttl: Math.ceil(OPTIN_TTL_MS / 1000),
  };
  await deps.dedup.addPendingOptin(pending);
  const link = `${deps.publicBaseUrl}/api/v1/marketing/confirm?token=${optinToken(nonce, expiresAt, deps.linkSecret)}`;
  // One confirmation mail per address per hour, however often someone submits it: the e-mail key dedups the rest.
  const hour = Math.floor(now.getTime() / 3_600_000);
  await deps.sendEmail({
    key: `optin:${emailKey(email)}:${hour}`,
    template: 'marketing_confirmation',
    language: input.language,
    to: email,
    data: { link, expiresAt: expiresAt.toISOString() },
  });
  return { subscribed: false, confirmationSent: true };
}

/** The person opened the link: now, and only now, consent is recorded and an earlier objection lifted. */
export async function confirmSubscription(
  deps: Pick<EmailDeps, 'dedup' | 'marketing' | 'clock' | 'linkSecret'>,
  token: string,
): Promise<{ subscribed: true }> {
  const verified = verifyOptinToken(token, deps.linkSecret, deps.clock.now());
  if ('error' in verified)
    throw new InvalidInputError(
      verified.error === 'expired'
        ? 'The confirmation link has expired; subscribe again.'
        : 'The confirmation link is not valid.',
      [{ field: 'query.token', message: verified.error }],
    );
  const pending = await deps.dedup.takePendingOptin(verified.nonce);
  if (!pending)
    throw new InvalidInputError('The confirmation link was already used or has expired.', [
      { field: 'query.token', message: 'used' },
    ]);
  const key = emailKey(pending.email);
  const prospect: ProspectDoc = {
    id: key,
    type: 'prospect',
    email: pending.email,
    consentAt: deps.clock.now().toISOString(),
    source: pending.source,
    confirmedVia: 'double-opt-in',
  };
  await deps.marketing.recordConsent(prospect);
  await deps.marketing.liftObjection(key);
  return { subscribed: true };
}

/** A signed unsubscribe link: the objection is recorded at once and any consent marked withdrawn. */
export async function unsubscribe(
  deps: Pick<EmailDeps, 'marketing' | 'clock' | 'linkSecret'>,
  token: string,
): Promise<{ unsubscribed: true }> {
  const key = verifyUnsubscribeToken(token, deps.linkSecret);
  if (!key)
    throw new InvalidInputError('The unsubscribe link is not valid.', [{ field: 'query.token', message: 'invalid' }]);
  const now = deps.clock.now().toISOString();
  await deps.marketing.recordObjection(key, now);
  await deps.marketing.withdrawConsent(key, now);
  return { unsubscribed: true };
}
