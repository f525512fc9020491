import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressMeter, type ProgressSample } from '../../../../backend/platform/downloads';

describe('progress meter', () => {
  let now = 0;
  let reports: ProgressSample[];
  let meter: ProgressMeter;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
    reports = [];
    meter = new ProgressMeter({ intervalMs: 250, windowMs: 2_000, now: () => now, report: (sample) => reports.push(sample) });
  });
  afterEach(() => {
    meter.stop();
    vi.useRealTimers();
  });

  it('reports the first update at once, then at most once per interval', () => {
    meter.update(0, 1_000_000);
    for (let step = 1; step <= 20; step += 1) {
      now += 50;
      meter.update(step * 10_000, 1_000_000);
    }
    // 1 s of updates every 50 ms: the first at once, then one per 250 ms.
    expect(reports.map((report) => report.receivedBytes)).toEqual([0, 50_000, 100_000, 150_000, 200_000]);
  });

  it('measures speed over the recent window and derives the time remaining', () => {
    meter.update(0, 1_000_000);
    for (let step = 1; step <= 8; step += 1) {
      now += 250;
      meter.update(step * 25_000, 1_000_000); // 100 kB/s
    }
    const last = reports.at(-1)!;
    expect(last.receivedBytes).toBe(200_000);
    expect(last.bytesPerSecond).toBeCloseTo(100_000, -2);
    expect(last.etaSeconds).toBeCloseTo(8, 0);

    // Faster now: the window forgets the slow start.
    for (let step = 1; step <= 12; step += 1) {
      now += 250;
      meter.update(200_000 + step * 50_000, 1_000_000); // 200 kB/s
    }
    expect(reports.at(-1)!.bytesPerSecond).toBeCloseTo(200_000, -2);
  });

  it('sends the last update of a burst after the interval, so a pause does not hide it', () => {
    meter.update(0, 100);
    now += 10;
    meter.update(40, 100);
    expect(reports).toHaveLength(1);
    now += 240;
    vi.advanceTimersByTime(240);
    expect(reports.map((report) => report.receivedBytes)).toEqual([0, 40]);
  });

  it('flushes the final figures at once and has no ETA without a speed or a total', () => {
    meter.update(0, undefined);
    expect(reports[0]).toEqual({ receivedBytes: 0, totalBytes: undefined, bytesPerSecond: 0, etaSeconds: undefined });
    now += 10;
    meter.update(500, undefined);
    meter.flush();
    expect(reports.at(-1)).toMatchObject({ receivedBytes: 500, etaSeconds: undefined });
    expect(reports.at(-1)!.bytesPerSecond).toBeGreaterThan(0);
  });

  it('starts measuring again when the byte count goes back (a transfer that restarted)', () => {
    meter.update(0, 1_000);
    now += 1_000;
    meter.update(900, 1_000);
    now += 1_000;
    meter.update(100, 1_000);
    expect(reports.at(-1)).toMatchObject({ receivedBytes: 100, bytesPerSecond: 0, etaSeconds: undefined });
  });
});
