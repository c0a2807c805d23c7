import { readdirSync, readFileSync } from 'node:fs';
import { signMetaBody } from '../../shared/messaging/signature.js';

const dir = new URL('../fixtures/meta/', import.meta.url);

/** Every Meta fixture: file name and its exact bytes. */
export function metaFixtures(): Array<{
  name: string;
  raw: Buffer;
  json: { object: string; entry: Array<Record<string, unknown> & { id: string }> };
}> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => {
      const raw = readFileSync(new URL(name, dir));
      return { name, raw, json: JSON.parse(raw.toString('utf8')) };
    });
}

export function metaFixture(name: string): Buffer {
  return readFileSync(new URL(name, dir));
}

/** Posts a body to the webhook, signed with the app secret (or with the given signature header). */
export async function postWebhook(
  baseUrl: string,
  body: Buffer | string,
  secret: string,
  signature?: string | null,
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const sig = signature === undefined ? signMetaBody(body, secret) : signature;
  if (sig !== null) headers['x-hub-signature-256'] = sig;
  return fetch(`${baseUrl}/api/webhooks/meta`, { method: 'POST', headers, body });
}

let counter = 0;

/** A Messenger or Instagram text DM envelope, compact JSON as Meta sends it. */
export function dm(opts: {
  object: 'page' | 'instagram';
  accountId: string;
  userId: string;
  text: string;
  mid?: string;
  timestamp?: number;
}): string {
  const timestamp = opts.timestamp ?? Date.now();
  const mid = opts.mid ?? `m_test_${Date.now()}_${++counter}`;
  return JSON.stringify({
    object: opts.object,
    entry: [
      {
        id: opts.accountId,
        time: timestamp,
        messaging: [
          {
            sender: { id: opts.userId },
            recipient: { id: opts.accountId },
            timestamp,
            message: { mid, text: opts.text },
          },
        ],
      },
    ],
  });
}
