import { z } from 'zod';
import type { CosmosStore } from '../platform/cosmos.js';
import { deleteItem, sweepWhere } from '../platform/delete-items.js';
import { MemoryTable, parseStored } from '../platform/repository.js';

const CONTAINER = 'marketing';

/** A prospect who gave explicit consent (§6), recorded with time and source, under the address's key. */
const prospectDocSchema = z.looseObject({
  id: z.string(),
  type: z.literal('prospect'),
  email: z.string().optional(),
  consentAt: z.string().optional(),
  source: z.string().optional(),
  /** How consent was proven: the person opened a link mailed to the address. */
  confirmedVia: z.literal('double-opt-in').optional(),
  withdrawnAt: z.string().optional(),
});
export type ProspectDoc = z.infer<typeof prospectDocSchema>;

/** An objection to marketing (Art. 21), kept by address hash only, so it outlives the prospect's data. */
const objectionDocSchema = z.looseObject({
  id: z.string(),
  type: z.literal('objection'),
  objectedAt: z.string(),
});
type ObjectionDoc = z.infer<typeof objectionDocSchema>;

export function objectionId(key: string): string {
  return `obj_${key}`;
}

/**
 * The `marketing` container. Platform-wide and keyed by /id: prospects are not any tenant's data, so
 * there is no `forgetTenant`; documents are keyed by an address key (`emailKey`), never the address.
 */
export interface MarketingRepository {
  getProspect(key: string): Promise<ProspectDoc | undefined>;
  /** Records (or renews) consent, clearing an earlier withdrawal. */
  recordConsent(prospect: ProspectDoc): Promise<void>;
  /** Marks consent withdrawn; nothing happens when there is no prospect. */
  withdrawConsent(key: string, at: string): Promise<void>;
  hasObjected(key: string): Promise<boolean>;
  recordObjection(key: string, at: string): Promise<void>;
  /** Lifts an objection (only a confirmed new subscription does); true when there was one. */
  liftObjection(key: string): Promise<boolean>;
  /**
   * Erases what is held about an address: the prospect and its consent. The objection stays, by
   * design: it holds no personal data and must outlive the rest so the address is never mailed again.
   */
  forgetSubject(key: string): Promise<number>;
}

const parseProspect = (doc: unknown) => parseStored(prospectDocSchema, CONTAINER, doc);

export function cosmosMarketingRepository(cosmos: CosmosStore): MarketingRepository {
  const container = cosmos.container('marketing');
  const read = async (id: string) => (await container.item(id, id).read()).resource as unknown;
  return {
    async getProspect(key) {
      const doc = await read(key);
      return doc ? parseProspect(doc) : undefined;
    },
    async recordConsent(prospect) {
      await container.items.upsert(prospect);
    },
    async withdrawConsent(key, at) {
      await container
        .item(key, key)
        .patch([{ op: 'set', path: '/withdrawnAt', value: at }])
        .catch((e: { code?: number }) => {
          if (e.code !== 404) throw e;
        });
    },
    async hasObjected(key) {
      const doc = await read(objectionId(key));
      return doc ? Boolean(parseStored(objectionDocSchema, CONTAINER, doc)) : false;
    },
    async recordObjection(key, at) {
      const objection: ObjectionDoc = { id: objectionId(key), type: 'objection', objectedAt: at };
      await container.items.upsert(objection);
    },
    liftObjection: (key) => deleteItem(container, objectionId(key), objectionId(key)),
    forgetSubject: async (key) => Number(await deleteItem(container, key, key)),
  };
}

type Doc = ProspectDoc | ObjectionDoc;

/** The same behaviour on memory. Every document is its own partition, as in the container. */
export function memoryMarketingRepository(): MarketingRepository {
  const table = new MemoryTable<Doc>();
  return {
    async getProspect(key) {
      const doc = table.get(key, key);
      return doc ? parseProspect(doc) : undefined;
    },
    async recordConsent(prospect) {
      table.put(prospect.id, prospect);
    },
    async withdrawConsent(key, at) {
      const doc = table.get(key, key);
      if (doc) table.put(key, { ...doc, withdrawnAt: at });
    },
    hasObjected: async (key) => Boolean(table.get(objectionId(key), objectionId(key))),
    async recordObjection(key, at) {
      table.put(objectionId(key), { id: objectionId(key), type: 'objection', objectedAt: at });
    },
    liftObjection: async (key) => table.delete(objectionId(key), objectionId(key)),
    forgetSubject: async (key) => Number(table.delete(key, key)),
  };
}

/** §9 Marketing: removes prospects whose consent was withdrawn before `cut` (objections stay). */
export function sweepWithdrawnProspects(cosmos: CosmosStore, cut: string, dryRun: boolean): Promise<number> {
  return sweepWhere(
    cosmos.container(CONTAINER),
    "c.type = 'prospect' AND IS_DEFINED(c.withdrawnAt) AND c.withdrawnAt < @cut",
    [{ name: '@cut', value: cut }],
    '.id',
    dryRun,
  );
}
