import { randomUUID } from 'node:crypto';
import { type StandIn, type StandInRequest, standInJson } from '../stand-in.js';

/** One accepted mail. */
export interface Mail {
  to: string;
  from: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
  key?: string;
  at: string;
}

/**
 * A local SendGrid peer at /local/sendgrid: POST /v3/mail/send with SendGrid's request shape,
 * answered 202 like SendGrid. GET /local/sendgrid/outbox lists what was sent. It can be told to fail.
 */
export class SendGridPeer implements StandIn {
  readonly name = 'sendgrid';
  readonly outbox: Mail[] = [];
  failures: number[] = [];

  handle(req: StandInRequest) {
    if (req.path === '/outbox' && req.method === 'GET') return standInJson(200, { data: this.outbox });
    if (req.path !== '/v3/mail/send' || req.method !== 'POST') return undefined;
    if (!/^Bearer .+/.test(req.headers.authorization ?? ''))
      return standInJson(401, { errors: [{ message: 'authorization required' }] });
    const failure = this.failures.shift();
    if (failure) return standInJson(failure, { errors: [{ message: 'sandbox failure' }] });
    const body = JSON.parse(req.body.toString('utf8')) as {
      personalizations: Array<{ to: Array<{ email: string }>; custom_args?: Record<string, string> }>;
      from: { email: string; name?: string };
      subject: string;
      content: Array<{ type: string; value: string }>;
      headers?: Record<string, string>;
      custom_args?: Record<string, string>;
    };
    const p = body.personalizations[0];
    if (!p?.to[0]?.email || !body.subject || !body.content?.length)
      return standInJson(400, { errors: [{ message: 'invalid mail' }] });
    this.outbox.push({
      to: p.to[0].email,
      from: body.from.email,
      subject: body.subject,
      text: body.content.find((c) => c.type === 'text/plain')?.value ?? '',
      headers: body.headers ?? {},
      key: body.custom_args?.key ?? p.custom_args?.key,
      at: new Date().toISOString(),
    });
    return { status: 202, headers: [['x-message-id', randomUUID()]] as Array<[string, string]>, body: Buffer.alloc(0) };
  }
}
