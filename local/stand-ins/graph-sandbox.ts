import { randomUUID } from 'node:crypto';
import { signMetaBody } from '../../shared/messaging/triggers.js';
import { type StandIn, type StandInRequest, standInJson } from '../stand-in.js';
import type { HostView } from './host-view.js';

/** Which product a person writes on: Messenger (a Page) or Instagram Direct (the Page's linked account). */
export type SandboxPlatform = 'messenger' | 'instagram';

/** One Send API call the sandbox accepted. */
export interface SentRecord {
  page: string;
  /** Where the message went: Instagram when the recipient is an Instagram user of the Page's linked account. */
  platform?: SandboxPlatform;
  recipient: string;
  text?: string;
  messaging_type?: string;
  tag?: string;
  metadata?: string;
  sender_action?: string;
  message_id?: string;
  at: string;
}

/** A failure to answer the next Send API call with. */
export interface Fault {
  status: number;
  code?: number;
  subcode?: number;
  retryAfterSeconds?: number;
  /** Accept and record the message (and echo it), but still answer with the failure. */
  acceptFirst?: boolean;
  /** Hold the answer this long first, so the caller times out (with acceptFirst: accepted, then a timeout). */
  hangMs?: number;
}

/** Where an echo for a sending Page goes: Messenger page, or the Instagram account linked to it. */
export interface EchoTarget {
  object: 'page' | 'instagram';
  accountId: string;
}

/**
 * A Graph API sandbox at /local/graph: the Send API, profiles, subscribed_apps, /me, a Page's
 * `instagram_business_account` and the Conversations API, with the same request shapes as Meta. It
 * records what was sent, can be told to fail, and delivers signed echoes of accepted sends to the
 * webhook as Meta does: a Messenger send echoes under `object: "page"` from the Page, an Instagram
 * send under `object: "instagram"` from the linked Instagram account (without app_id or metadata).
 *
 * Page tokens name their Page: `<anything>.<page-id>[.<anything>]`, so `/me` answers that Page.
 * Which product a recipient is on, the sandbox learns as Meta knows it: from the DMs people send
 * (the local host shows it every webhook delivery it accepts), else from the Page's echo target.
 */
export class GraphSandbox implements StandIn {
  readonly name = 'graph';
  readonly sent: SentRecord[] = [];
  private faults: Fault[] = [];
  readonly subscriptions = new Map<string, string[]>();
  readonly echoTargets = new Map<string, EchoTarget>();
  /** Page id to the Instagram professional account linked to it (Meta's `instagram_business_account`). */
  readonly instagramLinks = new Map<string, string>();
  /** People who wrote in, by their platform-scoped id. */
  private readonly people = new Map<string, SandboxPlatform>();
  /** Meta's ID Matching: app-scoped id to its page-scoped ids, per Page (tests fill it). */
  readonly idsForPages = new Map<string, Array<{ pageId: string; id: string }>>();
  /** The ID Matching calls made (app-scoped id and Page), to check every connected Page is asked. */
  readonly idMatchingCalls: Array<{ appScopedId: string; pageId: string }> = [];
  echoes = true;
  echoDelayMs = 10;
  /** Called for every accepted message (benchmarks time end-to-end latency with it). */
  onSent: ((record: SentRecord) => void) | undefined;
  private readonly pendingEchoes = new Set<Promise<void>>();

  constructor(private readonly host: HostView) {}

  /** Links an Instagram professional account to a Page, as the business does in Meta's settings. */
  linkInstagram(pageId: string, instagramAccountId: string): void {
    this.instagramLinks.set(pageId, instagramAccountId);
  }

  /** The Instagram account linked to a Page, if any (an Instagram echo target counts as a link). */
  linkedInstagram(pageId: string): string | undefined {
    const target = this.echoTargets.get(pageId);
    return this.instagramLinks.get(pageId) ?? (target?.object === 'instagram' ? target.accountId : undefined);
  }

  /** Learns from a webhook delivery the host accepted who wrote on which product. */
  observeWebhook(body: Buffer): void {
    let envelope: { object?: unknown; entry?: unknown };
    try {
      envelope = JSON.parse(body.toString('utf8')) as typeof envelope;
    } catch {
      return;
    }
    if (!Array.isArray(envelope.entry) || (envelope.object !== 'page' && envelope.object !== 'instagram')) return;
    const platform: SandboxPlatform = envelope.object === 'instagram' ? 'instagram' : 'messenger';
    for (const entry of envelope.entry as Array<{ id?: unknown; messaging?: unknown; standby?: unknown }>) {
      for (const item of [entry?.messaging, entry?.standby].flatMap((list) => (Array.isArray(list) ? list : []))) {
        const sender = (item as { sender?: { id?: unknown } } | null)?.sender?.id;
        if (typeof sender === 'string' && sender !== entry.id) this.people.set(sender, platform);
      }
    }
  }

  /** Queues failures for the next Send API calls. */
  failNext(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  reset(): void {
    this.sent.length = 0;
    this.faults = [];
  }

  /** Messages (not typing indicators) sent so far. */
  messages(): SentRecord[] {
    return this.sent.filter((s) => !s.sender_action);
  }

  /** Resolves when every echo started so far has been delivered. */
  async echoesDelivered(): Promise<void> {
    await Promise.all([...this.pendingEchoes]);
  }

  handle(req: StandInRequest) {
    const parts = req.path.split('/').filter(Boolean);
    if (parts[0] === 'messages' && parts.length === 1) {
      if (req.method === 'DELETE') {
        this.reset();
        return standInJson(204, {});
      }
      return standInJson(200, { data: this.messages() });
    }
    if (parts[0] === 'faults' && req.method === 'POST') {
      const body = JSON.parse(req.body.toString('utf8') || '{}') as { faults?: Fault[] };
      this.failNext(...(body.faults ?? []));
      return standInJson(200, { queued: this.faults.length });
    }
    if (!/^v\d+\.\d+$/.test(parts[0] ?? '')) return standInJson(404, graphError(803, 'Unknown path'));
    const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || req.query.get('access_token') || '';
    if (!token) return standInJson(400, graphError(104, 'An access token is required to request this resource.'));
    if (token.startsWith('invalid'))
      return standInJson(
        400,
        graphError(190, 'Error validating access token: Session has expired.', 'OAuthException', 463),
      );
    const [, id = '', edge] = parts;
    if (id === 'debug_token' && req.method === 'GET') {
      // Tokens with "expiring" in them lose data access in two days; others in 90.
      const input = req.query.get('input_token') ?? '';
      const days = input.includes('expiring') ? 2 : 90;
      return standInJson(200, {
        data: {
          is_valid: true,
          type: 'PAGE',
          expires_at: 0,
          data_access_expires_at: Math.floor(Date.now() / 1000) + days * 86_400,
        },
      });
    }
    const tokenPage = token.split('.')[1] ?? 'page';
    if (id === 'me' && !edge && req.method === 'GET') return standInJson(200, { id: tokenPage, name: 'Sandbox Page' });
    if (edge === 'messages' && req.method === 'POST') return this.send(id === 'me' ? tokenPage : id, req);
    if (edge === 'conversations' && req.method === 'GET') return this.conversations(id === 'me' ? tokenPage : id, req);
    if (edge === 'messages' && req.method === 'GET' && id.startsWith('t_')) return this.conversationMessages(id);
    if (edge === 'ids_for_pages' && req.method === 'GET') {
      // Only the app token (app id|secret) with its proof may map ids, as on Meta.
      if (!token.includes('|') || !req.query.get('appsecret_proof'))
        return standInJson(400, graphError(100, 'An app access token with appsecret_proof is required'));
      const pageId = req.query.get('page') ?? '';
      this.idMatchingCalls.push({ appScopedId: id, pageId });
      const data = (this.idsForPages.get(id) ?? [])
        .filter((m) => !pageId || m.pageId === pageId)
        .map((m) => ({ id: m.id, page: { id: m.pageId, name: 'Sandbox Page' } }));
      return standInJson(200, { data });
    }
    if (edge === 'subscribed_apps') {
      if (req.method === 'POST')
        this.subscriptions.set(id, (req.query.get('subscribed_fields') ?? '').split(',').filter(Boolean));
      if (req.method === 'DELETE') this.subscriptions.delete(id);
      return standInJson(200, { success: true });
    }
    const fields = req.query.get('fields') ?? '';
    if (!edge && req.method === 'GET' && fields.split(',').includes('instagram_business_account')) {
      // Only that Page's own token may read its linked account, as on Meta.
      if (tokenPage !== id)
        return standInJson(400, graphError(10, '(#10) This endpoint requires a Page access token for this Page'));
      const linked = this.linkedInstagram(id);
      return standInJson(200, { ...(linked ? { instagram_business_account: { id: linked } } : {}), id });
    }
    if (!edge && req.method === 'GET') return standInJson(200, profileFor(id, fields));
    return standInJson(404, graphError(100, 'Unsupported request'));
  }

  /** Which product a send from this Page to this person goes out on. */
  private platformOf(page: string, recipient: string): SandboxPlatform {
    const known = this.people.get(recipient);
    if (known === 'instagram' && this.linkedInstagram(page)) return 'instagram';
    if (known === 'messenger') return 'messenger';
    return this.echoTargets.get(page)?.object === 'instagram' ? 'instagram' : 'messenger';
  }

  /** GET /{page-id}/conversations?platform=&user_id= : the thread with one person, if anything was sent in it. */
  private conversations(page: string, req: StandInRequest) {
    const platform = req.query.get('platform') === 'instagram' ? 'instagram' : 'messenger';
    const user = req.query.get('user_id') ?? '';
    const thread = this.messages().filter(
      (m) => m.page === page && m.recipient === user && (m.platform ?? 'messenger') === platform,
    );
    if (thread.length === 0) return standInJson(200, { data: [] });
    return standInJson(200, {
      data: [{ id: conversationIdOf(page, platform, user), updated_time: graphTime(thread.at(-1)?.at ?? '') }],
    });
  }

  /** GET /{conversation-id}/messages : newest first, with the fields Meta gives. */
  private conversationMessages(conversationId: string) {
    const parts = Buffer.from(conversationId.slice(2), 'base64url').toString('utf8').split('|');
    if (parts.length !== 3) return standInJson(400, graphError(100, 'Unsupported get request'));
    const [page, platform, user] = parts as [string, SandboxPlatform, string];
    const from = platform === 'instagram' ? (this.linkedInstagram(page) ?? page) : page;
    const data = this.messages()
      .filter((m) => m.page === page && m.recipient === user && (m.platform ?? 'messenger') === platform)
      .reverse()
      .map((m) => ({
        id: m.message_id,
        created_time: graphTime(m.at),
        message: m.text ?? '',
        from: { id: from },
        to: { data: [{ id: user }] },
      }));
    return standInJson(200, { data });
  }

  private async send(page: string, req: StandInRequest) {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return standInJson(400, graphError(100, 'Invalid JSON'));
    }
    const recipient = (body.recipient as { id?: string } | undefined)?.id;
    if (!recipient) return standInJson(400, graphError(100, '(#100) The parameter recipient is required'));
    const at = new Date().toISOString();
    if (body.sender_action) {
      this.sent.push({ page, recipient, sender_action: String(body.sender_action), at });
      return standInJson(200, { recipient_id: recipient });
    }
    const message = body.message as { text?: string; metadata?: string } | undefined;
    if (!message?.text) return standInJson(400, graphError(100, '(#100) Param message must be non-empty'));
    if ([...message.text].length > 2000)
      return standInJson(
        400,
        graphError(100, '(#100) Length of param message[text] must be less than or equal to 2000'),
      );
    if (body.messaging_type === 'MESSAGE_TAG' && body.tag !== 'HUMAN_AGENT')
      return standInJson(400, graphError(100, '(#100) Unsupported tag'));

    const fault = this.faults.shift();
    const record = (): SentRecord => {
      const messageId = `m_${randomUUID().replace(/-/g, '')}`;
      const entry: SentRecord = {
        page,
        platform: this.platformOf(page, recipient),
        recipient,
        text: message.text,
        messaging_type: String(body.messaging_type ?? ''),
        ...(body.tag ? { tag: String(body.tag) } : {}),
        ...(message.metadata ? { metadata: message.metadata } : {}),
        message_id: messageId,
        at,
      };
      this.sent.push(entry);
      this.onSent?.(entry);
      this.echo(entry);
      return entry;
    };
    if (fault) {
      if (fault.acceptFirst) record();
      if (fault.hangMs) await new Promise((resolve) => setTimeout(resolve, fault.hangMs));
      const headers: Record<string, string> = fault.retryAfterSeconds
        ? { 'retry-after': String(fault.retryAfterSeconds) }
        : {};
      return standInJson(
        fault.status,
        graphError(fault.code ?? 2, 'Sandbox fault', 'OAuthException', fault.subcode),
        headers,
      );
    }
    const entry = record();
    return standInJson(200, { recipient_id: recipient, message_id: entry.message_id });
  }

  private echo(entry: SentRecord): void {
    // Meta echoes only to an app subscribed to the Page (tests that seed channels name an echo target instead).
    if (!this.echoes || !(this.echoTargets.has(entry.page) || this.subscriptions.has(entry.page))) return;
    const instagram = entry.platform === 'instagram' ? this.linkedInstagram(entry.page) : undefined;
    if (entry.platform === 'instagram' && !instagram) return;
    const account = instagram ?? entry.page;
    const settings = this.host.runtime.settings;
    const now = Date.now();
    // Instagram echoes carry neither app_id nor metadata (see tests/fixtures/meta/instagram-echo.json).
    const message = instagram
      ? { mid: entry.message_id, text: entry.text, is_echo: true }
      : {
          mid: entry.message_id,
          text: entry.text,
          is_echo: true,
          app_id: Number(settings.META_APP_ID),
          ...(entry.metadata ? { metadata: entry.metadata } : {}),
        };
    const payload = JSON.stringify({
      object: instagram ? 'instagram' : 'page',
      entry: [
        {
          id: account,
          time: now,
          messaging: [{ sender: { id: account }, recipient: { id: entry.recipient }, timestamp: now, message }],
        },
      ],
    });
    const delivery = new Promise<void>((resolve) => setTimeout(resolve, this.echoDelayMs))
      .then(() =>
        fetch(`${this.host.url}/api/webhooks/meta`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-hub-signature-256': signMetaBody(payload, settings.META_APP_SECRET),
          },
          body: payload,
        }),
      )
      .then(() => undefined)
      .catch(() => undefined)
      .finally(() => this.pendingEchoes.delete(delivery));
    this.pendingEchoes.add(delivery);
  }
}

/** Meta's time format in Graph answers, e.g. 2026-12-06T00:40:12+0000. */
function graphTime(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, '+0000');
}

function conversationIdOf(page: string, platform: SandboxPlatform, user: string): string {
  return `t_${Buffer.from(`${page}|${platform}|${user}`).toString('base64url')}`;
}

function graphError(code: number, message: string, type = 'OAuthException', subcode?: number) {
  return {
    error: {
      message,
      type,
      code,
      ...(subcode ? { error_subcode: subcode } : {}),
      fbtrace_id: randomUUID().slice(0, 11),
    },
  };
}

/** A made-up but stable profile for a platform user id. */
function profileFor(userId: string, fields: string): Record<string, string> {
  const names = ['Ana Popescu', 'Maria Ionescu', 'Elena Dumitru', 'Ioana Stan', 'Andrei Marin', 'Sam Taylor'];
  const name = names[[...userId].reduce((sum, c) => sum + c.charCodeAt(0), 0) % names.length] as string;
  const [first = '', last = ''] = name.split(' ');
  const all: Record<string, string> = {
    id: userId,
    name,
    first_name: first,
    last_name: last,
    profile_pic: `https://sandbox.invalid/pic/${userId}.jpg`,
    locale: 'ro_RO',
    username: 'hidden',
  };
  const out: Record<string, string> = { id: userId };
  for (const f of fields.split(',').filter(Boolean)) if (all[f] !== undefined) out[f] = all[f];
  return out;
}
