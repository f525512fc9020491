import { describe, expect, it } from 'vitest';
import { addToSketch, mergeSketch, sketchFromJson, sketchQuantiles, sketchToJson, type LatencySketch } from '../../../backend/diagnostics/metrics/latency-sketch';

function exactQuantile(sorted: number[], quantile: number): number {
  return sorted[Math.max(0, Math.ceil(quantile * sorted.length) - 1)]!;
}

/** A deterministic pseudo-random sequence, so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

describe('the latency sketch', () => {
  it('reads p50, p95 and p99 back within 2 % of the exact values, from sub-millisecond to minutes', () => {
    const next = random(7);
    // Log-normal-ish: mostly 50-500 ms, a long tail to a minute, and some sub-millisecond tool calls.
    const samples = Array.from({ length: 20_000 }, () => Math.exp(next() * 8 - 1) * (next() < 0.05 ? 0.01 : 1));
    const sketch: LatencySketch = new Map();
    for (const sample of samples) addToSketch(sketch, sample);
    const sorted = [...samples].sort((a, b) => a - b);
    const [p50, p95, p99] = sketchQuantiles(sketch, [0.5, 0.95, 0.99]);
    for (const [estimate, quantile] of [[p50!, 0.5], [p95!, 0.95], [p99!, 0.99]] as const) {
      const exact = exactQuantile(sorted, quantile);
      expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.02);
    }
    // Far fewer buckets than samples: that is what is stored per minute.
    expect(sketch.size).toBeLessThan(400);
  });

  it('merges two sketches into the sketch of all their samples, and survives a JSON round trip', () => {
    const first: LatencySketch = new Map();
    const second: LatencySketch = new Map();
    const both: LatencySketch = new Map();
    for (let ms = 1; ms <= 500; ms++) {
      addToSketch(ms % 2 ? first : second, ms);
      addToSketch(both, ms);
    }
    mergeSketch(first, second);
    expect(sketchQuantiles(first, [0.5, 0.99])).toEqual(sketchQuantiles(both, [0.5, 0.99]));
    expect(sketchQuantiles(sketchFromJson(sketchToJson(both)), [0.5, 0.99])).toEqual(sketchQuantiles(both, [0.5, 0.99]));
    expect(sketchQuantiles(new Map(), [0.5])).toEqual([NaN]);
    expect(sketchFromJson('not json').size).toBe(0);
  });
});
