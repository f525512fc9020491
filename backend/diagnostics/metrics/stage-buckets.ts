import type { Stage } from '#protocol';
import { addToSketch, mergeSketch, type LatencySketch } from './latency-sketch';

export const MINUTE_MS = 60_000;

/** One stage's events in one minute: what the time series stores per row. */
export interface StageBucket {
  /** Start of the minute, epoch ms. */
  bucketStart: number;
  stage: Stage;
  count: number;
  errors: number;
  sumMs: number;
  maxMs: number;
  sketch: LatencySketch;
}

export function emptyBucket(bucketStart: number, stage: Stage): StageBucket {
  return { bucketStart, stage, count: 0, errors: 0, sumMs: 0, maxMs: 0, sketch: new Map() };
}

/** Adds `from` into `into` (same minute and stage). */
export function mergeBucket(into: StageBucket, from: StageBucket): void {
  into.count += from.count;
  into.errors += from.errors;
  into.sumMs += from.sumMs;
  into.maxMs = Math.max(into.maxMs, from.maxMs);
  mergeSketch(into.sketch, from.sketch);
}

/**
 * Durations recorded since the last flush, per minute and stage, in memory: recording is a few map
 * lookups (it runs inside every turn), the store is written later in one transaction.
 */
export class PendingStageBuckets {
  private pending = new Map<number, Map<Stage, StageBucket>>();

  record(stage: Stage, milliseconds: number, failed: boolean, now: number): void {
    const bucketStart = now - (now % MINUTE_MS);
    let minute = this.pending.get(bucketStart);
    if (!minute) this.pending.set(bucketStart, (minute = new Map()));
    let bucket = minute.get(stage);
    if (!bucket) minute.set(stage, (bucket = emptyBucket(bucketStart, stage)));
    const ms = Number.isFinite(milliseconds) && milliseconds > 0 ? milliseconds : 0;
    bucket.count += 1;
    if (failed) bucket.errors += 1;
    bucket.sumMs += ms;
    if (ms > bucket.maxMs) bucket.maxMs = ms;
    addToSketch(bucket.sketch, ms);
  }

  get isEmpty(): boolean {
    return this.pending.size === 0;
  }

  /** Everything recorded so far; the pending set starts empty again. */
  drain(): StageBucket[] {
    const drained = [...this.pending.values()].flatMap((minute) => [...minute.values()]);
    this.pending = new Map();
    return drained;
  }
}
