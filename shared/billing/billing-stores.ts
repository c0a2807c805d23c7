import type { Runtime } from '../platform/runtime.js';
import { type BillingRepository, cosmosBillingRepository } from './billing-repository.js';
import { cosmosProcessedStripeEvents, type ProcessedStripeEvents } from './processed-events.js';
import { cosmosUsageRepository, type UsageRepository } from './usage-repository.js';

export function billingRepository(rt: Runtime): BillingRepository {
  return cosmosBillingRepository(rt.cosmos);
}

export function usageRepository(rt: Runtime): UsageRepository {
  return cosmosUsageRepository(rt.cosmos);
}

export function processedStripeEvents(rt: Runtime): ProcessedStripeEvents {
  return cosmosProcessedStripeEvents(rt.cosmos);
}
