import type { GraphClient } from '../messaging/index.js';
import type { Platform } from '../platform/ids.js';
import type { FieldProblem } from '../platform/problem.js';

/** What a tenant claims when it connects a channel. */
export interface ChannelClaim {
  platform: Platform;
  accountId: string;
  pageId: string;
  pageAccessToken: string;
}

/** What the Graph API says the token controls. */
export interface GraphFacts {
  /** The Page the token belongs to (GET /me). */
  tokenPageId: string;
  /** The Instagram professional account linked to that Page (GET /{page-id}?fields=instagram_business_account). */
  linkedInstagramId?: string;
}

/**
 * Pure: why the facts do not prove the claim, or undefined when they do. The account id routes
 * webhooks to the tenant, so it must be proven as well as the Page: a Messenger channel is the
 * token's own Page, an Instagram channel is the account linked to the token's Page.
 */
export function claimProblem(claim: ChannelClaim, facts: GraphFacts): FieldProblem | undefined {
  if (facts.tokenPageId !== claim.pageId) return { field: 'pageAccessToken', message: 'does not belong to pageId' };
  if (claim.platform === 'messenger' && claim.accountId !== claim.pageId)
    return { field: 'accountId', message: 'must be the Page id for Messenger' };
  if (claim.platform === 'instagram' && facts.linkedInstagramId !== claim.accountId)
    return { field: 'accountId', message: 'is not the Instagram account linked to pageId' };
  return undefined;
}

/** Asks the Graph API, with the token supplied, what it controls; GraphError when Meta refuses the token. */
export async function graphFacts(
  graph: Pick<GraphClient, 'me' | 'instagramAccountOf'>,
  claim: ChannelClaim,
): Promise<GraphFacts> {
  const me = await graph.me(claim.pageAccessToken);
  // The linked account is read only once the token is known to be the claimed Page's.
  if (claim.platform !== 'instagram' || me.id !== claim.pageId) return { tokenPageId: me.id };
  const linkedInstagramId = await graph.instagramAccountOf(claim.pageId, claim.pageAccessToken);
  return { tokenPageId: me.id, ...(linkedInstagramId ? { linkedInstagramId } : {}) };
}
