import { cosmosChannelRepository, openToken } from '../channels/index.js';
import { GraphError, graphClient, SUBSCRIBED_FIELDS } from '../messaging/index.js';
import type { Runtime } from '../platform/runtime.js';

export interface ResubscribeResult {
  tenantId: string;
  channelId: string;
  ok: boolean;
  error?: string;
}

/** After Meta's "Webhooks Disabled": subscribes every connected channel again and reports each result. */
export async function resubscribeAll(rt: Runtime): Promise<ResubscribeResult[]> {
  const graph = graphClient(rt.settings);
  const resources = await cosmosChannelRepository(rt.cosmos).listConnected();
  const results: ResubscribeResult[] = [];
  for (const channel of resources) {
    try {
      await graph.subscribeApp(channel.sendAsId, openToken(rt, channel), SUBSCRIBED_FIELDS);
      results.push({ tenantId: channel.tenantId, channelId: channel.id, ok: true });
    } catch (error) {
      results.push({
        tenantId: channel.tenantId,
        channelId: channel.id,
        ok: false,
        error: error instanceof GraphError ? `graph_${error.code ?? error.status}` : (error as Error).name,
      });
    }
  }
  return results;
}
