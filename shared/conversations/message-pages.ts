import { openPageToken, PageTokenError, sealPageToken } from '../platform/page-token.js';
import type { MessageDoc } from './documents.js';
import type { MessageRepository } from './message-repository.js';

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

/**
 * Opens a cursor, or answers 400 (`invalid-page-token`, naming `field`) for anything we did not issue for this
 * conversation.
 */
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
  messages: MessageRepository,
  tenantId: string,
  conversationId: string,
  limit: number,
  position: { before?: MessageCursor; after?: MessageCursor },
): Promise<{ items: MessageDoc[]; olderExist: boolean; newerExist: boolean }> {
  const after = position.after;
  if (after) {
    const first = await messages.window(tenantId, conversationId, { after, order: 'ASC', top: limit + 1 });
    const edge = first.at(-1)?.timestamp;
    const ties =
      edge === undefined || first.length <= limit
        ? []
        : await messages.window(tenantId, conversationId, { after, at: edge, order: 'ASC' });
    const merged = [...new Map([...first, ...ties].map((m) => [m.id, m])).values()].sort(newestFirst).reverse();
    return { items: merged.slice(0, limit).reverse(), olderExist: true, newerExist: merged.length > limit };
  }
  const before = position.before;
  const bound = before ? { before } : {};
  const first = await messages.window(tenantId, conversationId, { ...bound, order: 'DESC', top: limit + 1 });
  const edge = first.at(-1)?.timestamp;
  const ties =
    edge === undefined || first.length <= limit
      ? []
      : await messages.window(tenantId, conversationId, { ...bound, at: edge, order: 'DESC' });
  const merged = [...new Map([...first, ...ties].map((m) => [m.id, m])).values()].sort(newestFirst);
  return { items: merged.slice(0, limit), olderExist: merged.length > limit, newerExist: Boolean(before) };
}
