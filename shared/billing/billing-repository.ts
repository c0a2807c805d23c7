import type { CosmosStore } from '../platform/cosmos.js';
import { sweepWhere } from '../platform/delete-items.js';
import { assertTenant, MemoryTable, parseAllStored, parseStored } from '../platform/repository.js';
import {
  type BillingCustomerDoc,
  type BillingRecordDoc,
  billingCustomerDocSchema,
  billingRecordDocSchema,
} from './documents.js';

const CONTAINER = 'billing';
const STATE_ID = 'billing';

/**
 * The `billing` container: per tenant, its billing state (Stripe customer and subscription) and its
 * billing records (one per invoice). §9 keeps these 10 years, even after the account is deleted.
 */
export interface BillingRepository {
  getState(tenantId: string): Promise<BillingCustomerDoc | undefined>;
  /** Creates or replaces the tenant's billing state. */
  saveState(tenantId: string, state: BillingCustomerDoc): Promise<void>;
  getRecord(tenantId: string, id: string): Promise<BillingRecordDoc | undefined>;
  /** Creates or replaces a billing record. */
  saveRecord(tenantId: string, record: BillingRecordDoc): Promise<void>;
  /** The tenant's billing records, newest first. */
  listRecords(tenantId: string): Promise<BillingRecordDoc[]>;
  /**
   * The tenant that owns a Stripe customer. Platform-wide by nature: a Stripe event names the
   * customer, not our tenant, so this one query crosses partitions.
   */
  tenantOfCustomer(customerId: string): Promise<string | undefined>;
  /**
   * Billing and tax records survive an account deletion (§9 "Billing and tax records", policy
   * `billingRecords.onAccountDeletion: 'keep'`); the retention purge deletes them by age after 10
   * years. So this deletes nothing and returns 0; it exists so erasure can ask every slice alike.
   */
  forgetTenant(tenantId: string): Promise<number>;
}

type BillingDoc = BillingCustomerDoc | BillingRecordDoc;

const readState = (doc: unknown) =>
  parseStored(billingCustomerDocSchema, CONTAINER, doc) as unknown as BillingCustomerDoc;
const readRecord = (doc: unknown) => parseStored(billingRecordDocSchema, CONTAINER, doc) as unknown as BillingRecordDoc;

export function cosmosBillingRepository(cosmos: CosmosStore): BillingRepository {
  const container = () => cosmos.container(CONTAINER);
  return {
    async getState(tenantId) {
      const { resource } = await container().item(STATE_ID, tenantId).read();
      return resource ? readState(resource) : undefined;
    },
    async saveState(tenantId, state) {
      assertTenant(tenantId, state);
      await container().items.upsert(state);
    },
    async getRecord(tenantId, id) {
      const { resource } = await container().item(id, tenantId).read();
      return resource?.type === 'billing-record' ? readRecord(resource) : undefined;
    },
    async saveRecord(tenantId, record) {
      assertTenant(tenantId, record);
      await container().items.upsert(record);
    },
    async listRecords(tenantId) {
      const { resources } = await container()
        .items.query(
          {
            query: "SELECT * FROM c WHERE c.tenantId = @t AND c.type = 'billing-record' ORDER BY c.createdAt DESC",
            parameters: [{ name: '@t', value: tenantId }],
          },
          { partitionKey: tenantId },
        )
        .fetchAll();
      return parseAllStored(billingRecordDocSchema, CONTAINER, resources) as unknown as BillingRecordDoc[];
    },
    async tenantOfCustomer(customerId) {
      const { resources } = await container()
        .items.query<{ tenantId: string }>({
          query: "SELECT c.tenantId FROM c WHERE c.type = 'billing-customer' AND c.customerId = @c",
          parameters: [{ name: '@c', value: customerId }],
        })
        .fetchAll();
      return resources[0]?.tenantId;
    },
    forgetTenant: async () => 0,
  };
}

/** The same container in memory, for unit tests of the use-cases. */
export function memoryBillingRepository(table = new MemoryTable<BillingDoc>()): BillingRepository {
  // MemoryTable lists one partition at a time; the customer lookup crosses them, so remember which exist.
  const tenants = new Set<string>();
  return {
    async getState(tenantId) {
      const doc = table.get(tenantId, STATE_ID);
      return doc?.type === 'billing-customer' ? doc : undefined;
    },
    async saveState(tenantId, state) {
      assertTenant(tenantId, state);
      tenants.add(tenantId);
      table.put(tenantId, state);
    },
    async getRecord(tenantId, id) {
      const doc = table.get(tenantId, id);
      return doc?.type === 'billing-record' ? doc : undefined;
    },
    async saveRecord(tenantId, record) {
      assertTenant(tenantId, record);
      table.put(tenantId, record);
    },
    async listRecords(tenantId) {
      return table
        .list(tenantId, (d) => d.type === 'billing-record')
        .map((d) => d as BillingRecordDoc)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },
    async tenantOfCustomer(customerId) {
      for (const tenantId of tenants) {
        const state = await this.getState(tenantId);
        if (state?.customerId === customerId) return tenantId;
      }
      return undefined;
    },
    forgetTenant: async () => 0,
  };
}

/** §9 Billing and tax records: removes billing documents created before `cut` (10 years), in every tenant. */
export function sweepBillingBefore(cosmos: CosmosStore, cut: string, dryRun: boolean): Promise<number> {
  return sweepWhere(
    cosmos.container(CONTAINER),
    'c.createdAt < @cut',
    [{ name: '@cut', value: cut }],
    '.tenantId',
    dryRun,
  );
}
