import type { PatchOperation } from '@azure/cosmos';
import type { CosmosStore } from '../platform/cosmos.js';
import { deleteItem } from '../platform/delete-items.js';
import { createOnce, updateWithRetry } from '../platform/document-store.js';
import { MemoryTable, parseAllStored, parseStored } from '../platform/repository.js';
import {
  type ChannelDoc,
  type ChannelPage,
  channelDocSchema,
  channelPageSchema,
  type RouteDoc,
  routeDocSchema,
  routeIdOf,
} from './channel-documents.js';

/** Fields a partial write may set on a channel; the rest of the document stays as stored. */
export type ChannelChanges = Partial<
  Pick<ChannelDoc, 'status' | 'statusReason' | 'updatedAt' | 'tokenCheckedAt' | 'tokenExpiresAt' | 'token'>
>;

/**
 * The `channels` container (partitioned by tenant) and the `routes` container that maps a Meta
 * account id to the tenant that connected it. `routes` is platform-wide, partitioned by /id: a
 * webhook names only the account, so the route is read before any tenant is known.
 */
export interface ChannelRepository {
  get(tenantId: string, channelId: string): Promise<ChannelDoc | undefined>;
  list(tenantId: string): Promise<ChannelDoc[]>;
  /** Creates or overwrites a channel. */
  save(channel: ChannelDoc): Promise<void>;
  /** Overwrites a channel that must exist (fails if it was deleted meanwhile). */
  replace(channel: ChannelDoc): Promise<void>;
  /** Sets some fields without reading the document first. */
  patch(tenantId: string, channelId: string, changes: ChannelChanges): Promise<void>;
  /** Read-modify-write under the etag; `change` returns undefined to leave the channel alone. */
  update(
    tenantId: string,
    channelId: string,
    change: (current: ChannelDoc) => ChannelDoc | undefined,
  ): Promise<ChannelDoc | undefined>;
  /** Platform-wide (the daily token check, resubscribing): every connected channel of every tenant. */
  listConnected(): Promise<ChannelDoc[]>;
  /** Platform-wide (Meta's deletion callback asks every Page): the sending Page and status of every channel. */
  listPages(): Promise<ChannelPage[]>;
  /** Platform-wide, keyed by /id: the route of one account id. */
  getRoute(routeId: string): Promise<RouteDoc | undefined>;
  /** Creates a route once; false when one with that id already exists (whoever owns it). */
  claimRoute(route: RouteDoc): Promise<boolean>;
  /** Deletes a route; a missing one is fine. */
  deleteRoute(routeId: string): Promise<void>;
  /** Deletes every channel of a tenant and the routes of its accounts; returns how many documents went. */
  forgetTenant(tenantId: string): Promise<number>;
}

const CHANNELS = 'channels';
const ROUTES = 'routes';

export function cosmosChannelRepository(cosmos: CosmosStore): ChannelRepository {
  const channels = () => cosmos.container('channels');
  const routes = () => cosmos.container('routes');
  const queryAll = async (query: string) =>
    parseAllStored(channelDocSchema, CHANNELS, (await channels().items.query(query).fetchAll()).resources);
  const repo: ChannelRepository = {
    async get(tenantId, channelId) {
      const { resource } = await channels().item(channelId, tenantId).read();
      return resource ? parseStored(channelDocSchema, CHANNELS, resource) : undefined;
    },
    async list(tenantId) {
      const { resources } = await channels()
        .items.query(
          {
            query: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'channel'",
            parameters: [{ name: '@tenantId', value: tenantId }],
          },
          { partitionKey: tenantId },
        )
        .fetchAll();
      return parseAllStored(channelDocSchema, CHANNELS, resources);
    },
    async save(channel) {
      await channels().items.upsert(channel);
    },
    async replace(channel) {
      await channels().item(channel.id, channel.tenantId).replace(channel);
    },
    async patch(tenantId, channelId, changes) {
      const ops: PatchOperation[] = Object.entries(changes)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => ({ op: 'set', path: `/${key}`, value }));
      if (ops.length > 0) await channels().item(channelId, tenantId).patch(ops);
    },
    async update(tenantId, channelId, change) {
      const saved = await updateWithRetry<ChannelDoc>(channels(), channelId, tenantId, (raw) =>
        change(parseStored(channelDocSchema, CHANNELS, raw)),
      );
      return saved ? parseStored(channelDocSchema, CHANNELS, saved) : undefined;
    },
    listConnected: () => queryAll("SELECT * FROM c WHERE c.type = 'channel' AND c.status = 'connected'"),
    async listPages() {
      const { resources } = await channels()
        .items.query("SELECT c.sendAsId, c.status FROM c WHERE c.type = 'channel'")
        .fetchAll();
      return parseAllStored(channelPageSchema, CHANNELS, resources);
    },
    async getRoute(routeId) {
      const { resource } = await routes().item(routeId, routeId).read();
      return resource ? parseStored(routeDocSchema, ROUTES, resource) : undefined;
    },
    claimRoute: (route) => createOnce(routes(), route),
    async deleteRoute(routeId) {
      await deleteItem(routes(), routeId, routeId);
    },
    async forgetTenant(tenantId) {
      const { resources } = await channels()
        .items.query<{ id: string; platform: ChannelDoc['platform']; accountId: string }>(
          {
            query: 'SELECT c.id, c.platform, c.accountId FROM c WHERE c.tenantId = @tenantId',
            parameters: [{ name: '@tenantId', value: tenantId }],
          },
          { partitionKey: tenantId },
        )
        .fetchAll();
      let n = 0;
      for (const c of resources) {
        // The route only when it is this tenant's: another tenant may hold the account now.
        if (c.platform && c.accountId) {
          const routeId = routeIdOf(c.platform, c.accountId);
          const route = await repo.getRoute(routeId);
          if (route?.tenantId === tenantId && (await deleteItem(routes(), routeId, routeId))) n++;
        }
        if (await deleteItem(channels(), c.id, tenantId)) n++;
      }
      return n;
    },
  };
  return repo;
}

/** The same repository in memory, for unit tests of the channel use-cases. */
export function memoryChannelRepository(): ChannelRepository {
  const channels = new MemoryTable<ChannelDoc>();
  const routes = new MemoryTable<RouteDoc>();
  const tenants = new Set<string>();
  const all = () => [...tenants].flatMap((t) => channels.list(t));
  const repo: ChannelRepository = {
    get: async (tenantId, channelId) => channels.get(tenantId, channelId),
    list: async (tenantId) => channels.list(tenantId, (c) => c.type === 'channel'),
    save: async (channel) => {
      tenants.add(channel.tenantId);
      channels.put(channel.tenantId, channel);
    },
    async replace(channel) {
      if (!channels.get(channel.tenantId, channel.id)) throw Object.assign(new Error('Not found'), { code: 404 });
      channels.put(channel.tenantId, channel);
    },
    async patch(tenantId, channelId, changes) {
      const current = channels.get(tenantId, channelId);
      if (!current) throw Object.assign(new Error('Not found'), { code: 404 });
      const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      channels.put(tenantId, { ...current, ...set });
    },
    async update(tenantId, channelId, change) {
      const current = channels.get(tenantId, channelId);
      if (!current) return undefined;
      const next = change(current);
      if (!next) return current;
      channels.put(tenantId, next);
      return next;
    },
    listConnected: async () => all().filter((c) => c.type === 'channel' && c.status === 'connected'),
    listPages: async () =>
      all()
        .filter((c) => c.type === 'channel')
        .map((c) => ({ sendAsId: c.sendAsId, status: c.status })),
    getRoute: async (routeId) => routes.get(routeId, routeId),
    claimRoute: async (route) => routes.create(route.id, route),
    deleteRoute: async (routeId) => {
      routes.delete(routeId, routeId);
    },
    async forgetTenant(tenantId) {
      let n = 0;
      for (const c of channels.list(tenantId)) {
        const routeId = routeIdOf(c.platform, c.accountId);
        if (routes.get(routeId, routeId)?.tenantId === tenantId && routes.delete(routeId, routeId)) n++;
      }
      return n + channels.deleteWhere(tenantId);
    },
  };
  return repo;
}
