import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MessageDoc } from '../messaging/documents.js';
import { problems } from '../platform/problem.js';
import type { Runtime } from '../platform/runtime.js';

/** Where a page of messages starts: a message's time and id (the id breaks ties between equal times). */
export interface MessageCursor {
  t: number;
  i: string;
}

function sign(secret: string, scope: string, body: string): Buffer {
  return createHmac('sha256', secret).update(scope).update('\0').update(body).digest().subarray(0, 16);
}

/** Seals a cursor for one conversation of one tenant: opaque to clients, and useless anywhere else. */
export function sealCursor(secret: string, tenantId: string, conversationId: string, cursor: MessageCursor): string {
  const body = Buffer.from(JSON.stringify(cursor)).toString('base64url');
  return `${body}.${sign(secret, `${tenantId}/${conversationId}`, body).toString('base64url')}`;
}

/** Opens a cursor, or answers 400 for anything we did not issue for this conversation. */
export function openCursor(secret: string, tenantId: string, conversationId: string, token: string, field: string): MessageCursor {
  const bad = () => problems.badRequest('The page cursor is not valid for this conversation. Start again without it.', [{ field: `query.${field}`, message: 'invalid cursor' }]);
  const [body, mac] = token.split('.');
  if (!body || !mac || token.split('.').length !== 2) throw bad();
  const expected = sign(secret, `${tenantId}/${conversationId}`, body);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const c = parsed as Partial<MessageCursor>;
  if (typeof c?.t !== 'number' || typeof c.i !== 'string') throw bad();
  return { t: c.t, i: c.i };
}

const newestFirst = (a: MessageDoc, b: MessageDoc) => b.timestamp - a.timestamp || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * One page of a conversation's messages, newest first, around a cursor. Cosmos can order by one
 * field without a composite index, so the rows sharing the boundary time are read in full and the
 * (time, id) order is applied here: no message is skipped or repeated across pages.
 */
export async function messagePage(
  r: Runtime,
  tenantId: string,
  conversationId: string,
  limit: number,
  position: { before?: MessageCursor; after?: MessageCursor },
): Promise<{ items: MessageDoc[]; olderExist: boolean; newerExist: boolean }> {
  const base = "c.tenantId = @t AND c.type = 'message' AND c.conversationId = @cid";
  const params = [
    { name: '@t', value: tenantId },
    { name: '@cid', value: conversationId },
  ];
  const run = async (where: string, extra: Array<{ name: string; value: string | number }>, order: 'ASC' | 'DESC', top?: number) => {
    const { resources } = await r.cosmos
      .container('messages')
      .items.query<MessageDoc>({ query: `SELECT ${top ? `TOP ${top} ` : ''}* FROM c WHERE ${base}${where} ORDER BY c.timestamp ${order}`, parameters: [...params, ...extra] }, { partitionKey: tenantId })
      .fetchAll();
    return resources;
  };
  const after = position.after;
  if (after) {
    const cond = ' AND (c.timestamp > @ts OR (c.timestamp = @ts AND c.id > @id))';
    const extra = [
      { name: '@ts', value: after.t },
      { name: '@id', value: after.i },
    ];
    const first = await run(cond, extra, 'ASC', limit + 1);
    const edge = first.at(-1)?.timestamp;
    const ties = edge === undefined || first.length <= limit ? [] : await run(`${cond} AND c.timestamp = @edge`, [...extra, { name: '@edge', value: edge }], 'ASC');
    const merged = [...new Map([...first, ...ties].map((m) => [m.id, m])).values()].sort(newestFirst).reverse();
    return { items: merged.slice(0, limit).reverse(), olderExist: true, newerExist: merged.length > limit };
  }
  const before = position.before;
  const cond = before ? ' AND (c.timestamp < @ts OR (c.timestamp = @ts AND c.id < @id))' : '';
  const extra = before
    ? [
        { name: '@ts', value: before.t },
        { name: '@id', value: before.i },
      ]
    : [];
  const first = await run(cond, extra, 'DESC', limit + 1);
  const edge = first.at(-1)?.timestamp;
  const ties = edge === undefined || first.length <= limit ? [] : await run(`${cond} AND c.timestamp = @edge`, [...extra, { name: '@edge', value: edge }], 'DESC');
  const merged = [...new Map([...first, ...ties].map((m) => [m.id, m])).values()].sort(newestFirst);
  return { items: merged.slice(0, limit), olderExist: merged.length > limit, newerExist: Boolean(before) };
}
