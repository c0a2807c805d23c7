/**
 * A small typed dashboard client, written the way a frontend team would use the generated types.
 * `npm run client` regenerates `generated/aliat-api.d.ts` from the OpenAPI document with
 * openapi-typescript and type-checks this file: a schema change that would break a client breaks
 * the build here first.
 */
import type { components, paths } from './generated/aliat-api';

type Schemas = components['schemas'];
type Json<P extends keyof paths, M extends keyof paths[P], S extends number> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends Record<S, { content: { 'application/json': infer B } }>
    ? B
    : never
  : never;

export type Conversation = Schemas['Conversation'];
export type Message = Schemas['Message'];
export type RealtimeEvent = Schemas['RealtimeEvent'];
export type Problem = Schemas['Problem'];

export class AliatClient {
  constructor(
    private readonly base: string,
    private readonly token: () => Promise<string>,
  ) {}

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.token()}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw (await res.json()) as Problem;
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  signUp(body: Schemas['SignUp']) {
    return this.call<Json<'/api/v1/account', 'post', 201>>('POST', '/api/v1/account', body);
  }

  inbox(query: NonNullable<paths['/api/v1/conversations']['get']['parameters']['query']> = {}) {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    return this.call<Json<'/api/v1/conversations', 'get', 200>>('GET', `/api/v1/conversations?${qs}`);
  }

  summary() {
    return this.call<Json<'/api/v1/inbox/summary', 'get', 200>>('GET', '/api/v1/inbox/summary');
  }

  messages(conversationId: string, cursor: { before?: string; after?: string } = {}) {
    const qs = new URLSearchParams(
      Object.entries(cursor).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    return this.call<Json<'/api/v1/conversations/{conversationId}/messages', 'get', 200>>(
      'GET',
      `/api/v1/conversations/${conversationId}/messages?${qs}`,
    );
  }

  markRead(conversationId: string) {
    return this.call<Json<'/api/v1/conversations/{conversationId}/read', 'post', 200>>(
      'POST',
      `/api/v1/conversations/${conversationId}/read`,
    );
  }

  reply(conversationId: string, body: Schemas['HumanReply'], idempotencyKey: string) {
    return this.call<Json<'/api/v1/conversations/{conversationId}/messages', 'post', 202>>(
      'POST',
      `/api/v1/conversations/${conversationId}/messages`,
      body,
      { 'idempotency-key': idempotencyKey },
    );
  }

  negotiate() {
    return this.call<Json<'/api/v1/realtime/negotiate', 'post', 200>>('POST', '/api/v1/realtime/negotiate');
  }
}

/** One inbox row as a screen shows it; every field used here must exist with this type. */
export function rowLabel(c: Conversation): string {
  const who = c.contact?.name ?? 'Unknown';
  const last = c.lastMessage
    ? `${c.lastMessage.direction === 'in' ? '' : 'You: '}${c.lastMessage.preview} · ${new Date(c.lastMessage.at).toLocaleTimeString()}`
    : '';
  const badge: number = c.unread;
  const state: 'bot' | 'human' | 'paused' | 'restricted' = c.state;
  return `${who} [${state}] ${badge > 0 ? `(${badge})` : ''} ${last}`;
}

/** A live event handler: the union narrows on `type`. */
export function applyEvent(rows: Map<string, Conversation>, event: RealtimeEvent): void {
  switch (event.type) {
    case 'message.created': {
      const row = rows.get(event.conversationId);
      if (row)
        row.lastMessage = { id: event.messageId, direction: event.direction, preview: event.preview, at: event.at };
      return;
    }
    case 'unread.changed': {
      const row = rows.get(event.conversationId);
      if (row) row.unread = event.unread;
      return;
    }
    case 'conversation.state': {
      const row = rows.get(event.conversationId);
      if (row) row.state = event.state;
      return;
    }
    case 'conversation.assigned':
    case 'conversation.handoff':
    case 'message.status':
      return;
  }
}

/** Paging older messages until the start, with the opaque cursor. */
export async function wholeHistory(client: AliatClient, conversationId: string): Promise<Message[]> {
  const out: Message[] = [];
  let before: string | undefined;
  do {
    const page = await client.messages(conversationId, before ? { before } : {});
    out.push(...page.items);
    before = page.before;
  } while (before);
  return out;
}
