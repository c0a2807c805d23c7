import type { z } from 'zod';
import type { CosmosStore } from '../platform/cosmos.js';
import { deleteIds, deleteItem, idsWhere } from '../platform/delete-items.js';
import { createOnce, updateWithRetry } from '../platform/document-store.js';
import type { Platform } from '../platform/ids.js';
import { MemoryTable, parseAllStored, parseStored } from '../platform/repository.js';
import { withoutSamples } from './gap-samples.js';
import {
  type DayCounts,
  type DayDoc,
  type DayFigures,
  dayCountsSchema,
  dayDocSchema,
  dayFiguresSchema,
  type GapDoc,
  type GapSample,
  gapDocSchema,
  type InsightSettingsDoc,
  insightSettingsDocSchema,
  SETTINGS_ID,
} from './insights-documents.js';

type Change<T> = (current: T) => T | undefined;

/**
 * The `insights` container, partitioned by tenant: day counters, knowledge gaps and the settings
 * document. A small set per tenant, so reading a range stays cheap.
 */
export interface InsightsRepository {
  /** Creates a day document once; false when it exists. */
  createDay(day: DayDoc): Promise<boolean>;
  updateDay(tenantId: string, dayId: string, change: Change<DayDoc>, attempts?: number): Promise<DayDoc | undefined>;
  saveDay(day: DayDoc): Promise<void>;
  deleteDay(tenantId: string, dayId: string): Promise<void>;
  /** The counters of a range of local days, one platform or all. */
  readDays(tenantId: string, from: string, to: string, platform?: Platform): Promise<DayFigures[]>;
  /** Every day document's counters (what a rebuild compares). */
  dayCounts(tenantId: string): Promise<DayCounts[]>;
  listGaps(tenantId: string, status?: GapDoc['status']): Promise<GapDoc[]>;
  /** A gap, or undefined when the id names nothing or something that is not a gap. */
  getGap(tenantId: string, gapId: string): Promise<GapDoc | undefined>;
  createGap(gap: GapDoc): Promise<boolean>;
  updateGap(tenantId: string, gapId: string, change: Change<GapDoc>): Promise<GapDoc | undefined>;
  getSettings(tenantId: string): Promise<InsightSettingsDoc | undefined>;
  saveSettings(settings: InsightSettingsDoc): Promise<void>;
  /** Deletes every document of the tenant here; returns how many went. */
  forgetTenant(tenantId: string): Promise<number>;
  /**
   * Removes the gap samples (End-User content) of one conversation, or of one message taken back;
   * day counters stay, they are counts about no one. Returns how many samples went.
   */
  forgetSubject(tenantId: string, conversationId: string, messageId?: string): Promise<number>;
}

const INSIGHTS = 'insights';

/** Drops the matching samples from every gap of a tenant, through the repository's own reads and writes. */
async function forgetSamples(
  repo: Pick<InsightsRepository, 'listGaps' | 'updateGap'>,
  tenantId: string,
  conversationId: string,
  messageId?: string,
): Promise<number> {
  let removed = 0;
  const drop = (s: GapSample) => (messageId ? s.messageIds.includes(messageId) : s.conversationId === conversationId);
  for (const g of await repo.listGaps(tenantId)) {
    if (!g.samples.some(drop)) continue;
    const saved = await repo.updateGap(tenantId, g.id, (doc) => {
      const next = withoutSamples(doc, drop);
      return next === doc ? undefined : next;
    });
    removed += g.samples.length - (saved?.samples.length ?? g.samples.length);
  }
  return removed;
}

export function cosmosInsightsRepository(cosmos: CosmosStore): InsightsRepository {
  const container = () => cosmos.container('insights');
  const query = async (text: string, tenantId: string, extra: Array<{ name: string; value: string }> = []) =>
    (
      await container()
        .items.query(
          { query: text, parameters: [{ name: '@tenantId', value: tenantId }, ...extra] },
          { partitionKey: tenantId },
        )
        .fetchAll()
    ).resources as unknown[];
  const update = async <T extends { id: string; _etag?: string }>(
    schema: z.ZodType<T>,
    tenantId: string,
    id: string,
    change: Change<T>,
    attempts?: number,
  ): Promise<T | undefined> => {
    const saved = await updateWithRetry<T>(
      container(),
      id,
      tenantId,
      (raw) => change(parseStored(schema, INSIGHTS, raw)),
      attempts,
    );
    return saved ? parseStored(schema, INSIGHTS, saved) : undefined;
  };
  const repo: InsightsRepository = {
    createDay: (day) => createOnce(container(), day),
    updateDay: (tenantId, dayId, change, attempts) => update(dayDocSchema, tenantId, dayId, change, attempts),
    async saveDay(day) {
      await container().items.upsert(day);
    },
    async deleteDay(tenantId, dayId) {
      await deleteItem(container(), dayId, tenantId);
    },
    async readDays(tenantId, from, to, platform) {
      const docs = await query(
        `SELECT c.day, c.platform, c.counts FROM c WHERE c.tenantId = @tenantId AND c.type = 'insights-day' AND c.day >= @from AND c.day <= @to ${platform ? 'AND c.platform = @p' : ''}`,
        tenantId,
        [
          { name: '@from', value: from },
          { name: '@to', value: to },
          ...(platform ? [{ name: '@p', value: platform }] : []),
        ],
      );
      return parseAllStored(dayFiguresSchema, INSIGHTS, docs);
    },
    async dayCounts(tenantId) {
      const docs = await query(
        "SELECT c.id, c.counts FROM c WHERE c.tenantId = @tenantId AND c.type = 'insights-day'",
        tenantId,
      );
      return parseAllStored(dayCountsSchema, INSIGHTS, docs);
    },
    async listGaps(tenantId, status) {
      const docs = await query(
        `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'insights-gap' ${status ? 'AND c.status = @s' : ''}`,
        tenantId,
        status ? [{ name: '@s', value: status }] : [],
      );
      return parseAllStored(gapDocSchema, INSIGHTS, docs);
    },
    async getGap(tenantId, gapId) {
      const { resource } = await container().item(gapId, tenantId).read();
      // The same container holds day and settings documents: their ids are not gaps.
      if ((resource as { type?: unknown } | undefined)?.type !== 'insights-gap') return undefined;
      return parseStored(gapDocSchema, INSIGHTS, resource);
    },
    createGap: (gap) => createOnce(container(), gap),
    updateGap: (tenantId, gapId, change) => update(gapDocSchema, tenantId, gapId, change),
    async getSettings(tenantId) {
      const { resource } = await container().item(SETTINGS_ID, tenantId).read();
      return resource ? parseStored(insightSettingsDocSchema, INSIGHTS, resource) : undefined;
    },
    async saveSettings(settings) {
      await container().items.upsert(settings);
    },
    forgetTenant: async (tenantId) => deleteIds(container(), tenantId, await idsWhere(container(), tenantId)),
    forgetSubject: (tenantId, conversationId, messageId) => forgetSamples(repo, tenantId, conversationId, messageId),
  };
  return repo;
}

type InsightsItem = DayDoc | GapDoc | InsightSettingsDoc;

/** The same repository in memory, for unit tests of the insights use-cases. */
export function memoryInsightsRepository(): InsightsRepository {
  const table = new MemoryTable<InsightsItem>();
  const of = <T extends InsightsItem>(tenantId: string, type: T['type']) =>
    table.list(tenantId, (d) => d.type === type) as T[];
  const update = <T extends InsightsItem>(tenantId: string, id: string, type: T['type'], change: Change<T>) => {
    const current = table.get(tenantId, id);
    if (current?.type !== type) return undefined;
    const next = change(current as T);
    if (!next) return current as T;
    table.put(tenantId, next);
    return structuredClone(next);
  };
  const repo: InsightsRepository = {
    createDay: async (day) => table.create(day.tenantId, day),
    updateDay: async (tenantId, dayId, change) => update<DayDoc>(tenantId, dayId, 'insights-day', change),
    saveDay: async (day) => table.put(day.tenantId, day),
    deleteDay: async (tenantId, dayId) => {
      table.delete(tenantId, dayId);
    },
    readDays: async (tenantId, from, to, platform) =>
      of<DayDoc>(tenantId, 'insights-day')
        .filter((d) => d.day >= from && d.day <= to && (!platform || d.platform === platform))
        .map((d) => ({ day: d.day, platform: d.platform, counts: d.counts })),
    dayCounts: async (tenantId) => of<DayDoc>(tenantId, 'insights-day').map((d) => ({ id: d.id, counts: d.counts })),
    listGaps: async (tenantId, status) =>
      of<GapDoc>(tenantId, 'insights-gap').filter((g) => !status || g.status === status),
    getGap: async (tenantId, gapId) => {
      const doc = table.get(tenantId, gapId);
      return doc?.type === 'insights-gap' ? doc : undefined;
    },
    createGap: async (gap) => table.create(gap.tenantId, gap),
    updateGap: async (tenantId, gapId, change) => update<GapDoc>(tenantId, gapId, 'insights-gap', change),
    getSettings: async (tenantId) => {
      const doc = table.get(tenantId, SETTINGS_ID);
      return doc?.type === 'insights-settings' ? doc : undefined;
    },
    saveSettings: async (settings) => table.put(settings.tenantId, settings),
    forgetTenant: async (tenantId) => table.deleteWhere(tenantId),
    forgetSubject: (tenantId, conversationId, messageId) => forgetSamples(repo, tenantId, conversationId, messageId),
  };
  return repo;
}
