import { describe, expect, it } from 'vitest';
import { meterFraction, pcm16LevelDbfs, SILENCE_DBFS, smoothLevel } from '../../../renderer/src/voice/dsp/level';

describe('level meter', () => {
  it('measures RMS in dBFS', () => {
    expect(pcm16LevelDbfs(new Int16Array(512).fill(-32768))).toBeCloseTo(0, 5);
    const sine = Int16Array.from({ length: 1600 }, (_, i) => Math.round(16384 * Math.sin((2 * Math.PI * i) / 16)));
    // A sine at half scale: 20·log10(0.5/√2) ≈ -9.03 dBFS.
    expect(pcm16LevelDbfs(sine)).toBeCloseTo(-9.03, 1);
    expect(pcm16LevelDbfs(new Int16Array(512))).toBe(SILENCE_DBFS);
    expect(pcm16LevelDbfs(new Int16Array(0))).toBe(SILENCE_DBFS);
  });

  it('rises at once and falls back smoothly', () => {
    expect(smoothLevel(-60, -10, 32)).toBe(-10);
    const after32 = smoothLevel(-10, -60, 32);
    expect(after32).toBeLessThan(-10);
    expect(after32).toBeGreaterThan(-20);
    expect(smoothLevel(-10, -60, 3000)).toBeCloseTo(-60, 1);
  });

  it('places a level on the meter', () => {
    expect(meterFraction(0)).toBe(1);
    expect(meterFraction(-30)).toBe(0.5);
    expect(meterFraction(-90)).toBe(0);
    expect(meterFraction(6)).toBe(1);
  });
});
