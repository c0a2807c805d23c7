import { InvalidInputError } from '../platform/domain-errors.js';
import type { ConversationDeps } from './conversation-deps.js';
import type { MessageDoc } from './documents.js';
import { findConversation } from './find-conversation.js';
import { type MessageCursor, messagePage, openCursor, sealCursor } from './message-pages.js';

/** Which page a member asks for: older than `before` (or `continuationToken`), or newer than `after`. */
export interface MessagePageRequest {
  tenantId: string;
  conversationId: string;
  limit: number;
  before?: string;
  after?: string;
  continuationToken?: string;
}

/**
 * A page of a conversation's messages, newest first, with the cursors for the older page and for
 * newer messages. Reading marks nothing read.
 */
export async function readMessages(
  deps: Pick<ConversationDeps, 'conversations' | 'messages'>,
  secret: string,
  request: MessagePageRequest,
): Promise<{ items: MessageDoc[]; before?: string; after?: string }> {
  const { tenantId, conversationId: id } = request;
  await findConversation(deps.conversations, tenantId, id);
  if (request.after && (request.before ?? request.continuationToken))
    throw new InvalidInputError('Use before or after, not both.', [
      { field: 'query.after', message: 'not with before' },
    ]);
  const beforeToken = request.before ?? request.continuationToken;
  const position: { before?: MessageCursor; after?: MessageCursor } = {
    ...(beforeToken
      ? { before: openCursor(secret, tenantId, id, beforeToken, request.before ? 'before' : 'continuationToken') }
      : {}),
    ...(request.after ? { after: openCursor(secret, tenantId, id, request.after, 'after') } : {}),
  };
  const page = await messagePage(deps.messages, tenantId, id, request.limit, position);
  const newest = page.items[0];
  const oldest = page.items.at(-1);
  const before =
    oldest && page.olderExist ? sealCursor(secret, tenantId, id, { t: oldest.timestamp, i: oldest.id }) : undefined;
  // With nothing newer yet, hand back the cursor we were given, so a client can keep polling with it.
  const after = newest ? sealCursor(secret, tenantId, id, { t: newest.timestamp, i: newest.id }) : request.after;
  return { items: page.items, ...(before ? { before } : {}), ...(after ? { after } : {}) };
}
