/** A failed Graph API call, with Meta's error code and subcode. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    readonly subcode: number | undefined,
    readonly retryAfterMs: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export type GraphFailure = 'transient' | 'rate_limited' | 'permanent' | 'reauth';

const TRANSIENT_CODES = new Set([1, 2, 1200]);
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001]);

/**
 * Pure: what to do about a Graph error. 190 means the token is dead (reconnect the channel);
 * 10/2018278, 100, 200 and 551 are permanent; 1, 2, 1200 and any 5xx are worth retrying; 4, 17,
 * 32, 613 and HTTP 429 are rate limits (retry, more slowly). Anything else is treated as permanent,
 * because retrying an unknown client error only repeats it.
 */
export function classifyGraphError(e: GraphError): GraphFailure {
  if (e.code === 190) return 'reauth';
  if (e.status === 429 || (e.code !== undefined && RATE_LIMIT_CODES.has(e.code))) return 'rate_limited';
  if (e.code !== undefined && TRANSIENT_CODES.has(e.code)) return 'transient';
  if (e.status >= 500 && e.code === undefined) return 'transient';
  if (e.status >= 500 && ![10, 100, 200, 551].includes(e.code ?? -1)) return 'transient';
  return 'permanent';
}

/** Pure: full-jitter exponential backoff, never below a rate limit's retry-after. */
export function backoffMs(
  attempt: number,
  failure: GraphFailure,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
  baseMs = 1_000,
): number {
  const base = failure === 'rate_limited' ? baseMs * 5 : baseMs;
  const cap = failure === 'rate_limited' ? baseMs * 600 : baseMs * 120;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}
