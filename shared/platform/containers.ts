/**
 * Every Cosmos DB container the app uses, in one place: the `ensure` step, the Bicep drift test
 * and the backup all read this table. Every document carries `tenantId` except in the few
 * platform-wide containers whose partition key says otherwise.
 */
export interface ContainerDefinition {
  id: string;
  partitionKey: string;
  /** Default TTL in seconds; -1 means on but per-item, undefined means off. */
  defaultTtl?: number;
  /** What lives here, for people. */
  holds: string;
}

export const CONTAINERS = {
  tenants: { id: 'tenants', partitionKey: '/tenantId', holds: 'accounts, users, bot settings' },
  channels: {
    id: 'channels',
    partitionKey: '/tenantId',
    holds: 'connected Pages and Instagram accounts, encrypted tokens',
  },
  routes: { id: 'routes', partitionKey: '/id', holds: 'page or Instagram account id to tenant, for webhook routing' },
  contacts: { id: 'contacts', partitionKey: '/tenantId', holds: 'End-Users who messaged a tenant' },
  conversations: { id: 'conversations', partitionKey: '/tenantId', holds: 'conversation state and transitions' },
  messages: { id: 'messages', partitionKey: '/tenantId', holds: 'inbound and outbound messages with metadata' },
  knowledge: { id: 'knowledge', partitionKey: '/tenantId', holds: 'knowledge base entries, documents, index state' },
  usage: { id: 'usage', partitionKey: '/tenantId', holds: 'monthly usage meters' },
  billing: { id: 'billing', partitionKey: '/tenantId', holds: 'subscriptions and billing records (kept 10 years)' },
  audit: {
    id: 'audit',
    partitionKey: '/tenantId',
    defaultTtl: 365 * 24 * 3600,
    holds: 'audit log of sensitive operations (kept 12 months, §9 Logs)',
  },
  privacy: { id: 'privacy', partitionKey: '/id', holds: 'deletion requests, receipts, tombstones, purge reports' },
  marketing: {
    id: 'marketing',
    partitionKey: '/id',
    holds: 'marketing consent of prospects and objections, keyed by e-mail hash',
  },
  insights: {
    id: 'insights',
    partitionKey: '/tenantId',
    holds: 'insights counters per day, knowledge gaps with redacted samples, digest settings',
  },
  insightThreads: {
    id: 'insightThreads',
    partitionKey: '/tenantId',
    holds: 'per-conversation insights trackers (open episode, applied event keys, counter outbox)',
  },
  dedup: { id: 'dedup', partitionKey: '/id', defaultTtl: 7 * 24 * 3600, holds: 'short-lived idempotency keys' },
} as const satisfies Record<string, ContainerDefinition>;

export type ContainerName = keyof typeof CONTAINERS;

/** All definitions as a list. */
export function containerDefinitions(): ContainerDefinition[] {
  return Object.values(CONTAINERS);
}
