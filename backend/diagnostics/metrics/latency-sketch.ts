/**
 * A mergeable latency sketch (DDSketch's log buckets): a duration falls in bucket
 * ceil(log_γ(ms)), so every percentile read back is within 2 % of the true value, whatever the
 * range (0.01 ms to hours), and two sketches merge by adding counts per bucket. That is what lets
 * per-minute buckets be stored once and combined into any slot size later.
 */
const RELATIVE_ACCURACY = 0.02;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
/** Shorter durations share one bucket: nothing Parley times is meaningful below 10 µs. */
const MIN_MS = 0.01;

/** Bucket index → how many durations fell in it. */
export type LatencySketch = Map<number, number>;

export function sketchIndex(milliseconds: number): number {
  return Math.ceil(Math.log(milliseconds > MIN_MS ? milliseconds : MIN_MS) / LOG_GAMMA);
}

/** The value a bucket stands for: the middle of its range in relative terms. */
export function bucketValue(index: number): number {
  return (2 * GAMMA ** index) / (GAMMA + 1);
}

export function addToSketch(sketch: LatencySketch, milliseconds: number): void {
  const index = sketchIndex(milliseconds);
  sketch.set(index, (sketch.get(index) ?? 0) + 1);
}

export function mergeSketch(into: LatencySketch, from: LatencySketch): void {
  for (const [index, count] of from) into.set(index, (into.get(index) ?? 0) + count);
}

/** The durations at these quantiles (0..1), each within 2 %; NaN for an empty sketch. */
export function sketchQuantiles(sketch: LatencySketch, quantiles: readonly number[]): number[] {
  const buckets = [...sketch].sort(([a], [b]) => a - b);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return quantiles.map(() => NaN);
  return quantiles.map((quantile) => {
    // The rank of the quantile's value among the sorted durations (nearest rank, 0-based).
    const rank = Math.max(0, Math.ceil(quantile * total) - 1);
    let seen = 0;
    for (const [index, count] of buckets) {
      seen += count;
      if (seen > rank) return bucketValue(index);
    }
    return bucketValue(buckets[buckets.length - 1]![0]);
  });
}

export function sketchToJson(sketch: LatencySketch): string {
  return JSON.stringify(Object.fromEntries(sketch));
}

export function sketchFromJson(json: string): LatencySketch {
  const sketch: LatencySketch = new Map();
  try {
    for (const [index, count] of Object.entries(JSON.parse(json) as Record<string, unknown>)) {
      if (typeof count === 'number' && Number.isFinite(count)) sketch.set(Number(index), count);
    }
  } catch {
    // A damaged row loses its percentiles, not the whole chart.
  }
  return sketch;
}
