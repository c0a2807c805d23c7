import { randomUUID } from 'node:crypto';
import { signMetaBody } from '../shared/messaging/signature.js';
import { requireHost } from './host-url.js';

/**
 * `npm run simulate -- "Do you do balayage?"`: sends a correctly signed Instagram DM webhook for the
 * demo salon to the running local host, then prints the reply that comes back through the sandbox.
 * `SIMULATE_PAGE=<page id>` sends a Messenger DM to a Page you connected instead, and
 * `SIMULATE_ACCOUNT=<account id>` an Instagram DM to an Instagram account you connected. `SIMULATE_USER=<id>` writes
 * as the same customer again, so a second message continues their conversation.
 */
async function main(): Promise<void> {
  const text = process.argv.slice(2).join(' ').trim();
  if (!text) {
    process.stderr.write('Usage: npm run simulate -- "your message"\n');
    process.exit(2);
  }
  const base = await requireHost();
  const demoResponse = await fetch(`${base}/local/demo`).catch(() => undefined);
  if (!demoResponse?.ok) {
    process.stderr.write(`${base} answers, but has no /local/demo: simulate needs the local host (npm start).\n`);
    process.exit(1);
  }
  const demo = (await demoResponse.json()) as { instagramAccountId: string; appSecret: string };
  const userId = process.env.SIMULATE_USER ?? `sim${Date.now()}`;
  const page = process.env.SIMULATE_PAGE?.trim();
  // Meta sends a Page's Messenger DMs as object "page" and an Instagram account's as "instagram", each by its own id.
  const [object, to] = page
    ? ['page', page]
    : ['instagram', process.env.SIMULATE_ACCOUNT?.trim() || demo.instagramAccountId];
  const sentTo = async () =>
    (
      (await (await fetch(`${base}/local/graph/messages`)).json()) as {
        data: Array<{ recipient: string; text?: string; messaging_type?: string }>;
      }
    ).data.filter((m) => m.recipient === userId);
  // A customer written as before has had replies already: only the ones after this message are its answer.
  const before = (await sentTo()).length;
  const now = Date.now();
  const body = JSON.stringify({
    object,
    entry: [
      {
        id: to,
        time: now,
        messaging: [
          {
            sender: { id: userId },
            recipient: { id: to },
            timestamp: now,
            message: { mid: `sim_${randomUUID()}`, text },
          },
        ],
      },
    ],
  });
  const res = await fetch(`${base}/api/webhooks/meta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(body, demo.appSecret) },
    body,
  });
  process.stdout.write(`→ webhook answered ${res.status} ${await res.text()}\n`);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const replies = (await sentTo()).slice(before);
    if (replies.length > 0) {
      for (const reply of replies) process.stdout.write(`← ${reply.messaging_type}: ${reply.text}\n`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  process.stderr.write('No reply within 30 s (the conversation may be with a human, or the bot is off).\n');
  process.exit(1);
}

void main();
