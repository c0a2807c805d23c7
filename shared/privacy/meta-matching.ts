import { createHmac } from 'node:crypto';
import { cosmosChannelRepository } from '../channels/index.js';
import { GraphError, graphClient } from '../messaging/index.js';
import type { Runtime } from '../platform/runtime.js';

/** What Meta's ID Matching found for one app-scoped id. */
export interface IdMatch {
  /** The ids to erase: the app-scoped id itself and every page-scoped id found. */
  ids: string[];
  /** Pages asked (every connected Page, Messenger ones and those linked to Instagram accounts). */
  pagesChecked: number;
  /** Page-scoped ids Meta returned. */
  pageScopedIds: number;
}

/**
 * §12.3: Meta's deletion callback names the person by their app-scoped id; our contacts hold
 * page-scoped ids (Messenger) and Instagram-scoped ids. Asks Meta's ID Matching for the person's id
 * on every Page connected to Aliat. Instagram-scoped ids have no matching edge, so they match only
 * when Meta gives the same id. An outage throws, so the job is retried rather than reporting a
 * false "nothing found".
 */
export async function matchAppScopedId(rt: Runtime, appScopedId: string): Promise<IdMatch> {
  const resources = await cosmosChannelRepository(rt.cosmos).listPages();
  const pages = [...new Set(resources.filter((c) => c.status !== 'disconnected').map((c) => c.sendAsId))].sort();
  const appToken = `${rt.settings.META_APP_ID}|${rt.settings.META_APP_SECRET}`;
  const proof = createHmac('sha256', rt.settings.META_APP_SECRET).update(appToken).digest('hex');
  const graph = graphClient(rt.settings);
  const ids = new Set<string>([appScopedId]);
  let pageScopedIds = 0;
  for (const page of pages) {
    try {
      for (const match of await graph.idsForPages(appScopedId, page, appToken, proof)) {
        ids.add(match.id);
        pageScopedIds++;
      }
    } catch (error) {
      // Meta answers 400 (code 100) for a person it cannot map on that Page: nothing there.
      if (error instanceof GraphError && error.status === 400) continue;
      throw error;
    }
  }
  return { ids: [...ids], pagesChecked: pages.length, pageScopedIds };
}
