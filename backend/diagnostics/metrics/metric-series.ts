import type { MetricPoint, MetricSeries, Stage } from '#protocol';
import { sketchQuantiles } from './latency-sketch';
import { emptyBucket, mergeBucket, type StageBucket } from './stage-buckets';

export interface SeriesWindow {
  from: number;
  to: number;
  /** Slot length, ms (a multiple of a minute reads best: buckets are per minute). */
  step: number;
}

/**
 * Folds per-minute buckets into slots of `step` from `from`: per stage, each slot's count, errors,
 * mean, max and p50/p95/p99 from the merged sketches. Every slot is present (empty ones with null
 * latencies), so a chart's x axis is the same for every stage.
 */
export function toSeries(buckets: readonly StageBucket[], window: SeriesWindow, stages: readonly Stage[]): MetricSeries[] {
  const slotCount = Math.ceil((window.to - window.from) / window.step);
  const slots = new Map<Stage, StageBucket[]>(stages.map((stage) => [stage, Array.from({ length: slotCount }, (_, slot) => emptyBucket(window.from + slot * window.step, stage))]));
  for (const bucket of buckets) {
    const slot = Math.floor((bucket.bucketStart - window.from) / window.step);
    const row = slots.get(bucket.stage);
    if (row && slot >= 0 && slot < slotCount) mergeBucket(row[slot]!, bucket);
  }
  return stages.map((stage) => ({ stage, points: slots.get(stage)!.map(toPoint) }));
}

function toPoint(bucket: StageBucket): MetricPoint {
  if (bucket.count === 0) return { t: bucket.bucketStart, count: 0, errors: 0, p50: null, p95: null, p99: null, meanMs: null, maxMs: null };
  const [p50, p95, p99] = sketchQuantiles(bucket.sketch, [0.5, 0.95, 0.99]).map(round);
  return { t: bucket.bucketStart, count: bucket.count, errors: bucket.errors, p50: p50!, p95: p95!, p99: p99!, meanMs: round(bucket.sumMs / bucket.count), maxMs: round(bucket.maxMs) };
}

/** Milliseconds to 0.01 ms: the sketch is 2 % accurate anyway. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}
