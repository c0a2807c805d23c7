import { openPageToken, PageTokenError, sealPageToken } from '../platform/page-token.js';
import type { Runtime } from '../platform/runtime.js';
import type { MessageDoc } from './documents.js';

/** Where a page of messages starts: a message's time and id (the id breaks ties between equal times). */
export interface MessageCursor {
  t: number;
  i: string;
}

/** Cursors are page tokens (shared/platform/page-token.ts) scoped to one conversation of one tenant. */
const kindOf = (conversationId: string) => `v1-conversations-messages/${conversationId}`;

/** Seals a cursor for one conversation of one tenant: opaque to clients, and useless anywhere else. */
export function sealCursor(secret: string, tenantId: string, conversationId: string, cursor: MessageCursor): string {
  return sealPageToken(secret, kindOf(conversationId), tenantId, cursor);
}

/** Opens a cursor, or answers 400 (`invalid-page-token`, naming `field`) for anything we did not issue for this conversation. */
export function openCursor(
  secret: string,
  tenantId: string,
  conversationId: string,
  token: string,
  field: string,
): MessageCursor {
  let parsed: unknown;
  try {
    parsed = openPageToken(secret, kindOf(conversationId), tenantId, token);
  } catch (error) {
    if (error instanceof PageTokenError) throw new PageTokenError(error.reason, `query.${field}`);
    throw error;
  }
  const c = parsed as Partial<MessageCursor> | null;
  if (typeof c?.t !== 'number' || typeof c.i !== 'string') throw new PageTokenError('malformed', `query.${field}`);
  return { t: c.t, i: c.i };
}

const newestFirst = (a: MessageDoc, b: MessageDoc) =>
  b.timestamp - a.timestamp || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * One page of a conversation's messages, newest first, around a cursor. Cosmos can order by one
 * field without a composite index, so the rows sharing the boundary time are read in full and the
 * (time, id) order is applied here: no message is skipped or repeated across pages.
 */
export async function messagePage(
  rt: Runtime,
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
  const run = async (
    where: string,
    extra: Array<{ name: string; value: string | number }>,
    order: 'ASC' | 'DESC',
    top?: number,
  ) => {
    const { resources } = await rt.cosmos
      .container('messages')
      .items.query<MessageDoc>(
        {
          query: `SELECT ${top ? `TOP ${top} ` : ''}* FROM c WHERE ${base}${where} ORDER BY c.timestamp ${order}`,
          parameters: [...params, ...extra],
        },
        { partitionKey: tenantId },
      )
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
    const ties =
      edge === undefined || first.length <= limit
        ? []
        : await run(`${cond} AND c.timestamp = @edge`, [...extra, { name: '@edge', value: edge }], 'ASC');
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
  const ties =
    edge === undefined || first.length <= limit
      ? []
      : await run(`${cond} AND c.timestamp = @edge`, [...extra, { name: '@edge', value: edge }], 'DESC');
  const merged = [...new Map([...first, ...ties].map((m) => [m.id, m])).values()].sort(newestFirst);
  return { items: merged.slice(0, limit), olderExist: merged.length > limit, newerExist: Boolean(before) };
}
