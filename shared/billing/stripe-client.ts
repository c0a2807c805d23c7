import Stripe from 'stripe';
import type { Settings } from '../platform/settings.js';

let cached: { key: string; stripe: Stripe } | undefined;

/** The Stripe SDK, pointed at STRIPE_API_BASE (the local Stripe peer locally). */
export function stripeClient(settings: Settings): Stripe {
  const key = `${settings.STRIPE_API_BASE}|${settings.STRIPE_SECRET_KEY}`;
  if (cached?.key !== key) {
    const base = new URL(settings.STRIPE_API_BASE);
    cached = {
      key,
      stripe: new Stripe(settings.STRIPE_SECRET_KEY, {
        host: base.hostname,
        port: base.port || (base.protocol === 'https:' ? 443 : 80),
        protocol: base.protocol === 'https:' ? 'https' : 'http',
        maxNetworkRetries: 2,
        timeout: 10_000,
      }),
    };
  }
  return cached.stripe;
}
