import { expect } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { api } from './api.js';

/** The confirmation link last mailed to an address, as a path below the host. */
export function confirmationPath(host: LocalHost, email: string): string | undefined {
  const mail = host.mail.outbox
    .filter((m) => m.to === email.toLowerCase() && /\/api\/v1\/marketing\/confirm\?token=/.test(m.text))
    .at(-1);
  const url = /(https?:\/\/\S+\/api\/v1\/marketing\/confirm\?token=\S+)/.exec(mail?.text ?? '')?.[1];
  return url ? new URL(url).pathname + new URL(url).search : undefined;
}

/** Subscribes an address the only way that records consent: the request, then the link from the mailbox. */
export async function subscribeAndConfirm(host: LocalHost, email: string, settle: () => Promise<void>): Promise<void> {
  expect(
    (
      await api(host, undefined, 'POST', '/api/v1/marketing/subscribe', {
        body: { email, consent: true, source: 'website' },
      })
    ).status,
  ).toBe(202);
  await settle();
  const path = confirmationPath(host, email);
  expect(path, `a confirmation link was mailed to ${email}`).toBeDefined();
  expect((await api(host, undefined, 'GET', path as string)).body).toEqual({ subscribed: true });
}
