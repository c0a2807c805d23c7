/** One measured figure, with the baseline it is compared against in the same run. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** What the figure is compared with, measured in the same run (null where a target is absolute). */
  baseline: { name: string; value: number } | null;
  /** value / baseline, or baseline / value for latencies, so that higher is always better. */
  ratio?: number;
  target?: string;
}

/** A benchmark module: `bench/*.bench.ts` exports `run`. */
export type Benchmark = () => Promise<Figure[]>;

/** Percentile of a sorted-or-not sample, nearest-rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
