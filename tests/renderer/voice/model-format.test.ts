import { describe, expect, it } from 'vitest';
import { describeDownload, downloadEtaSeconds, downloadFraction, formatBytes, formatEta } from '../../../renderer/src/panels/voice/format';

describe('model manager formatting', () => {
  it('formats sizes in decimal units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(75_000_000)).toBe('75 MB');
    expect(formatBytes(1_550_000_000)).toBe('1.6 GB');
    expect(formatBytes(3_100_000)).toBe('3.1 MB');
    expect(formatBytes(-1)).toBe('–');
  });

  it('formats time left', () => {
    expect(formatEta(42)).toBe('42 s');
    expect(formatEta(185)).toBe('3 min 05 s');
    expect(formatEta(7260)).toBe('2 h 01 min');
    expect(formatEta(Number.NaN)).toBe('–');
  });

  it('describes a download with bytes, speed and time left', () => {
    const progress = { id: 'base', state: 'downloading' as const, receivedBytes: 12_300_000, totalBytes: 75_000_000, bytesPerSecond: 2_100_000 };
    expect(downloadFraction(progress)).toBeCloseTo(0.164, 3);
    expect(downloadEtaSeconds(progress)).toBeCloseTo(29.86, 1);
    expect(describeDownload(progress)).toBe('12 MB of 75 MB · 2.1 MB/s · 30 s left');
    expect(describeDownload({ ...progress, etaSeconds: 90 })).toBe('12 MB of 75 MB · 2.1 MB/s · 1 min 30 s left');
  });

  it('copes with an unknown size and the other states', () => {
    const unknown = { id: 'x', state: 'downloading' as const, receivedBytes: 5_000_000 };
    expect(downloadFraction(unknown)).toBeNull();
    expect(downloadEtaSeconds(unknown)).toBeNull();
    expect(describeDownload(unknown)).toBe('5.0 MB');
    expect(describeDownload({ ...unknown, state: 'failed', error: 'checksum mismatch' })).toBe('Failed: checksum mismatch');
    expect(describeDownload({ ...unknown, state: 'verifying' })).toBe('Verifying…');
  });
});
