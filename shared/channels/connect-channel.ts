import type { GraphClient } from '../messaging/index.js';
import { GraphError, SUBSCRIBED_FIELDS } from '../messaging/index.js';
import type { Sealed } from '../platform/crypto.js';
import { ConflictError, InvalidInputError, RefusedByPartyError } from '../platform/domain-errors.js';
import { log } from '../platform/log.js';
import type { Clock } from '../platform/runtime.js';
import { type ChannelDoc, routeIdOf } from './channel-documents.js';
import type { ChannelRepository } from './channel-repository.js';
import { type ChannelClaim, claimProblem, graphFacts } from './ownership.js';

/** Meta refused the token the tenant gave; the edge answers 422 and asks for a new Facebook login. */
export class TokenRejectedError extends RefusedByPartyError {
  constructor(readonly graphCode: number) {
    super(`Graph API error ${graphCode}. Log in with Facebook again.`, {
      type: 'token-rejected',
      title: 'Facebook rejected the token',
    });
    this.name = 'TokenRejectedError';
  }
}

/** What a channel use-case records in the audit log; the route adds who and from where. */
export type ChannelAudit = (
  action: 'channel.connect' | 'channel.token_used_for_subscription' | 'channel.disconnect',
  channelId: string,
  details?: Record<string, number>,
) => Promise<void>;

export interface ConnectChannelDeps {
  channels: ChannelRepository;
  graph: Pick<GraphClient, 'me' | 'instagramAccountOf' | 'subscribeApp'>;
  clock: Clock;
  seal: (tenantId: string, accountId: string, token: string) => Sealed;
  audit: ChannelAudit;
}

const TAKEN = 'This account is connected to another Aliat account.';

/**
 * Connects a Page or Instagram account once the token proves the tenant controls it, then
 * subscribes the app to its webhooks. The route is claimed before the channel is written, so two
 * tenants proving the same account at once cannot both connect it.
 */
export async function connectChannel(
  deps: ConnectChannelDeps,
  tenantId: string,
  claim: ChannelClaim & { name: string },
): Promise<ChannelDoc> {
  const facts = await graphFacts(deps.graph, claim).catch((error: unknown) => {
    if (error instanceof GraphError) throw new TokenRejectedError(error.code ?? error.status);
    throw error;
  });
  const unproven = claimProblem(claim, facts);
  if (unproven) {
    log.warn('channel.connect_unproven', { tenantId, platform: claim.platform, field: unproven.field });
    throw new InvalidInputError('The token does not control this account.', [unproven]);
  }
  // Only after the proof: a failed proof answers alike whether or not the id is connected elsewhere.
  const routeId = routeIdOf(claim.platform, claim.accountId);
  const route = await deps.channels.getRoute(routeId);
  if (route && route.tenantId !== tenantId) throw new ConflictError(TAKEN);
  const now = deps.clock.now().toISOString();
  const channel: ChannelDoc = {
    id: `ch_${claim.platform}_${claim.accountId}`,
    tenantId,
    type: 'channel',
    platform: claim.platform,
    accountId: claim.accountId,
    sendAsId: claim.pageId,
    name: claim.name,
    status: 'connected',
    token: deps.seal(tenantId, claim.accountId, claim.pageAccessToken),
    connectedAt: now,
    updatedAt: now,
    tokenCheckedAt: now,
  };
  if (!(await deps.channels.claimRoute({ id: routeId, tenantId, channelId: channel.id }))) {
    const winner = await deps.channels.getRoute(routeId);
    if (winner && winner.tenantId !== tenantId) throw new ConflictError(TAKEN);
  }
  await deps.channels.save(channel);
  await deps.audit('channel.connect', channel.id);
  await deps.graph.subscribeApp(claim.pageId, claim.pageAccessToken, SUBSCRIBED_FIELDS);
  await deps.audit('channel.token_used_for_subscription', channel.id, { fields: SUBSCRIBED_FIELDS.length });
  return channel;
}
