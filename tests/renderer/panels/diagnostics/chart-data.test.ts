import { describe, expect, it } from 'vitest';
import type { MetricPoint, MetricSeries } from '#protocol';
import { defaultStage, errorRateDatasets, latencyDatasets, throughputDatasets, totalEvents } from '../../../../renderer/src/panels/diagnostics/chart-data';
import { TIME_RANGES, windowFor } from '../../../../renderer/src/panels/diagnostics/time-ranges';

const empty = (t: number): MetricPoint => ({ t, count: 0, errors: 0, p50: null, p95: null, p99: null, meanMs: null, maxMs: null });
const point = (t: number, count: number, errors: number, p50: number): MetricPoint => ({ t, count, errors, p50, p95: p50 * 2, p99: p50 * 3, meanMs: p50, maxMs: p50 * 3 });

const series: MetricSeries[] = [
  { stage: 'stt', points: [point(0, 4, 0, 120), empty(60_000)] },
  { stage: 'llm_total', points: [point(0, 10, 1, 900), point(60_000, 2, 2, 1500)] },
];

describe('the Diagnostics charts’ data', () => {
  it('draws p50/p95/p99 of the chosen stage, with gaps where nothing happened', () => {
    expect(latencyDatasets(series, 'stt').map((dataset) => [dataset.label, dataset.data])).toEqual([
      ['p50', [120, null]],
      ['p95', [240, null]],
      ['p99', [360, null]],
    ]);
    expect(latencyDatasets(series, 'sql').every((dataset) => dataset.data.length === 0)).toBe(true);
  });

  it('counts throughput per minute whatever the slot size, and error rates in percent', () => {
    expect(throughputDatasets(series, 60_000).map((dataset) => [dataset.label, dataset.data])).toEqual([
      ['Transcription', [4, 0]],
      ['LLM total', [10, 2]],
    ]);
    // 15-minute slots: 10 events in a slot is 0.67 a minute.
    expect(throughputDatasets(series, 15 * 60_000)[1]!.data).toEqual([0.67, 0.13]);
    expect(errorRateDatasets(series).map((dataset) => dataset.data)).toEqual([
      [0, null],
      [10, 100],
    ]);
    expect(totalEvents(series)).toEqual({ count: 16, errors: 3 });
  });

  it('shows the LLM’s total first when it has data, else the first stage that has', () => {
    expect(defaultStage(series)).toBe('llm_total');
    expect(defaultStage([series[0]!])).toBe('stt');
    expect(defaultStage([])).toBeNull();
  });

  it('ends each range’s window with the slot that holds now, in slots of its step', () => {
    const now = Date.UTC(2026, 0, 20, 12, 7, 31);
    for (const range of TIME_RANGES) {
      const window = windowFor(range, now);
      expect(window.to - window.from).toBe(range.spanMs);
      expect(window.to % range.stepMs).toBe(0);
      expect(window.to).toBeGreaterThan(now);
      expect(window.to - range.stepMs).toBeLessThanOrEqual(now);
      expect((window.to - window.from) / window.step).toBeLessThanOrEqual(100);
    }
  });
});
