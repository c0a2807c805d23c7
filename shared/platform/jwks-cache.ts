import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { log } from './log.js';

/**
 * The issuer's signing keys, cached. An unknown key id triggers a refresh (rate-limited); a JWKS
 * outage keeps the keys we already hold, so signed-in people stay signed in while those keys are valid.
 */
export class JwksCache {
  private keys: JWTVerifyGetKey | undefined;
  private fetchedAt = 0;
  private lastAttempt = 0;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly maxAgeMs = 10 * 60_000,
    private readonly cooldownMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  private async refresh(): Promise<void> {
    this.inflight ??= (async () => {
      this.lastAttempt = this.now();
      try {
        const res = await fetch(this.url, { signal: AbortSignal.timeout(5000) });
        if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
        this.keys = createLocalJWKSet((await res.json()) as JSONWebKeySet);
        this.fetchedAt = this.now();
      } catch (error) {
        log.warn('auth.jwks.refresh_failed', { error, haveCachedKeys: Boolean(this.keys) });
        if (!this.keys) throw error;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  /** The key resolver for jose's jwtVerify. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const stale = this.now() - this.fetchedAt > this.maxAgeMs;
    if (!this.keys || (stale && this.now() - this.lastAttempt > this.cooldownMs)) await this.refresh();
    try {
      return await (this.keys as JWTVerifyGetKey)(header, token);
    } catch (error) {
      const unknownKid = (error as { code?: string }).code === 'ERR_JWKS_NO_MATCHING_KEY';
      if (!unknownKid || this.now() - this.lastAttempt < this.cooldownMs) throw error;
      await this.refresh();
      return (this.keys as JWTVerifyGetKey)(header, token);
    }
  };
}
