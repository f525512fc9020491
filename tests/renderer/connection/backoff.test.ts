import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../../../renderer/src/connection/backoff';

describe('reconnectDelayMs', () => {
  it('doubles from half a second and stops at ten seconds', () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((attempt) => reconnectDelayMs(attempt, middle))).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
  });

  it('spreads retries by ±20% so many tabs do not reconnect in step', () => {
    expect(reconnectDelayMs(3, () => 0)).toBe(3200);
    expect(reconnectDelayMs(3, () => 1)).toBe(4800);
  });
});
