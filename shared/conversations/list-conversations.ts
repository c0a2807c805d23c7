import type { ListPage } from '../platform/memory-page.js';
import type { ConversationDeps } from './conversation-deps.js';
import type { ConversationFilter } from './conversation-repository.js';
import type { ConversationDoc } from './documents.js';
import { type RowExtras, rowExtras } from './rows.js';
import type { ConversationState } from './state.js';
import { memberKey } from './unread.js';

/** The inbox filters as a member asks for them. */
export interface InboxQuery {
  state?: ConversationState;
  channelId?: string;
  /** Unread by the calling member. */
  unread?: boolean;
  /** A member sub, "me" or "none". */
  assignee?: string;
  updatedSince?: string;
}

/** One page of the inbox for one member, with each row's contact and last message. */
export async function listConversations(
  deps: Pick<ConversationDeps, 'conversations' | 'contacts' | 'messages'>,
  request: { tenantId: string; sub: string; query: InboxQuery; page: ListPage },
): Promise<{ items: ConversationDoc[]; extras: Map<string, RowExtras>; continuationToken?: string }> {
  const { tenantId, sub, query } = request;
  const filter: ConversationFilter = {
    ...(query.state ? { state: query.state } : {}),
    ...(query.channelId ? { channelId: query.channelId } : {}),
    ...(query.unread !== undefined ? { unread: { memberKey: memberKey(sub), unread: query.unread } } : {}),
    ...(query.assignee === 'none'
      ? { assignee: null }
      : query.assignee
        ? { assignee: query.assignee === 'me' ? sub : query.assignee }
        : {}),
    ...(query.updatedSince ? { updatedSince: new Date(query.updatedSince).toISOString() } : {}),
  };
  const page = await deps.conversations.list(tenantId, filter, request.page);
  const extras = await rowExtras(deps, tenantId, page.items);
  return { ...page, extras };
}
