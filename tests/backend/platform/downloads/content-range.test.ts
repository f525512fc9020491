import { describe, expect, it } from 'vitest';
import { parseContentRange } from '../../../../backend/platform/downloads';
import { parseRetryAfter, retryDelayMs } from '../../../../backend/platform/downloads';

describe('Content-Range', () => {
  it('reads byte ranges and the 416 form', () => {
    expect(parseContentRange('bytes 100-199/1000')).toEqual({ start: 100, end: 199, total: 1000 });
    expect(parseContentRange('bytes 0-9/*')).toEqual({ start: 0, end: 9, total: undefined });
    expect(parseContentRange('bytes */1000')).toEqual({ unsatisfiedTotal: 1000 });
  });

  it('distrusts anything malformed or inconsistent', () => {
    for (const header of [null, '', 'items 0-9/10', 'bytes 10-5/100', 'bytes 0-100/100', 'bytes 0-/100', 'bytes=0-9/10']) {
      expect(parseContentRange(header)).toBeUndefined();
    }
  });
});

describe('retry timing', () => {
  it('backs off exponentially within the bounds and honours Retry-After up to the maximum', () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    for (let failures = 1; failures <= 6; failures += 1) {
      const delay = retryDelayMs(policy, failures);
      const exponential = Math.min(1_000, 100 * 2 ** (failures - 1));
      expect(delay).toBeGreaterThanOrEqual(exponential / 2);
      expect(delay).toBeLessThanOrEqual(exponential);
    }
    expect(retryDelayMs(policy, 1, 800)).toBe(800);
    expect(retryDelayMs(policy, 1, 60_000)).toBe(1_000);
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
