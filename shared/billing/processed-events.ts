import type { CosmosStore } from '../platform/cosmos.js';

/** How long a processed Stripe event id is remembered: well past the days Stripe keeps redelivering. */
const REMEMBER_SECONDS = 90 * 86_400;

/**
 * Stripe events already applied, kept as short-lived ids in the platform-wide `dedup` container
 * (partitioned by /id, so these reads are keyed by the event, not by a tenant).
 */
export interface ProcessedStripeEvents {
  has(eventId: string): Promise<boolean>;
  remember(eventId: string, at: Date): Promise<void>;
}

const dedupId = (eventId: string) => `stripe:${eventId}`;

export function cosmosProcessedStripeEvents(cosmos: CosmosStore): ProcessedStripeEvents {
  const container = () => cosmos.container('dedup');
  return {
    async has(eventId) {
      const { resource } = await container().item(dedupId(eventId), dedupId(eventId)).read();
      return Boolean(resource);
    },
    async remember(eventId, at) {
      await container().items.upsert({
        id: dedupId(eventId),
        type: 'stripe-processed',
        processedAt: at.toISOString(),
        ttl: REMEMBER_SECONDS,
      });
    },
  };
}

export function memoryProcessedStripeEvents(): ProcessedStripeEvents {
  const seen = new Set<string>();
  return {
    has: async (eventId) => seen.has(eventId),
    remember: async (eventId) => {
      seen.add(eventId);
    },
  };
}
