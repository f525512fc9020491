import { describe, expect, it } from 'vitest';
import { Resampler } from '#audio';

function sine(rate: number, hz: number, seconds: number, amplitude = 0.5): Float32Array {
  const samples = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < samples.length; i++) samples[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / rate);
  return samples;
}

/** Runs a signal through in render-quantum blocks, as the worklet does. */
function resample(resampler: Resampler, input: Float32Array, block = 128): Float32Array {
  const out: number[] = [];
  const scratch = new Float32Array(resampler.maxOutputFor(block));
  for (let offset = 0; offset < input.length; offset += block) {
    const count = resampler.process(input.subarray(offset, offset + block), scratch);
    out.push(...scratch.subarray(0, count));
  }
  return Float32Array.from(out);
}

/** RMS of the steady state (the first and last 50 ms hold the filter's edges). */
function steadyRms(samples: Float32Array, rate: number): number {
  const edge = Math.round(rate * 0.05);
  const middle = samples.subarray(edge, samples.length - edge);
  return Math.sqrt(middle.reduce((sum, x) => sum + x * x, 0) / middle.length);
}

const db = (ratio: number) => 20 * Math.log10(ratio);

describe('Resampler', () => {
  it.each([48_000, 44_100])('keeps speech frequencies from %i Hz to 16 kHz at their level and phase', (rate) => {
    const out = resample(new Resampler({ inputRate: rate, outputRate: 16_000 }), sine(rate, 1000, 1));
    expect(out.length).toBeGreaterThan(15_900);
    // Output sample n sits at input time n·ratio: compare with the ideal 16 kHz sine sample by sample.
    let worst = 0;
    for (let n = 800; n < 15_000; n++) worst = Math.max(worst, Math.abs(out[n]! - 0.5 * Math.sin((2 * Math.PI * 1000 * n) / 16_000)));
    expect(worst).toBeLessThan(0.005);
  });

  it.each([
    [48_000, 300],
    [48_000, 6000],
    [44_100, 6000],
  ])('passes %i Hz input at %i Hz within 0.5 dB', (rate, hz) => {
    const out = resample(new Resampler({ inputRate: rate, outputRate: 16_000 }), sine(rate, hz, 1));
    expect(Math.abs(db(steadyRms(out, 16_000) / (0.5 / Math.SQRT2)))).toBeLessThan(0.5);
  });

  it.each([
    [48_000, 8500],
    [48_000, 10_000],
    [48_000, 20_000],
    [44_100, 9000],
    [44_100, 15_000],
  ])('attenuates what would alias (%i Hz input, %i Hz tone) by more than 60 dB', (rate, hz) => {
    const out = resample(new Resampler({ inputRate: rate, outputRate: 16_000 }), sine(rate, hz, 1));
    expect(db(steadyRms(out, 16_000) / (0.5 / Math.SQRT2))).toBeLessThan(-60);
  });

  it('gives the same output whatever the block size', () => {
    const input = sine(48_000, 440, 0.5);
    const whole = resample(new Resampler({ inputRate: 48_000, outputRate: 16_000 }), input, input.length);
    const blocks = resample(new Resampler({ inputRate: 48_000, outputRate: 16_000 }), input, 128);
    const odd = resample(new Resampler({ inputRate: 48_000, outputRate: 16_000 }), input, 37);
    expect(blocks.length).toBe(whole.length);
    expect(odd.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) {
      expect(blocks[i]).toBeCloseTo(whole[i]!, 6);
      expect(odd[i]).toBeCloseTo(whole[i]!, 6);
    }
  });

  it('produces one output per ratio input samples once flushed', () => {
    const resampler = new Resampler({ inputRate: 44_100, outputRate: 16_000 });
    const produced = resample(resampler, new Float32Array(44_100)).length;
    const tail = resampler.flush(new Float32Array(resampler.maxFlushOutput()));
    expect(Math.abs(produced + tail - 16_000)).toBeLessThanOrEqual(1);
  });

  it('upsamples synthesised speech (22.05 kHz → 48 kHz) without changing its level or phase', () => {
    const out = resample(new Resampler({ inputRate: 22_050, outputRate: 48_000 }), sine(22_050, 1000, 1));
    let worst = 0;
    for (let n = 2400; n < 45_000; n++) worst = Math.max(worst, Math.abs(out[n]! - 0.5 * Math.sin((2 * Math.PI * 1000 * n) / 48_000)));
    expect(worst).toBeLessThan(0.005);
  });

  it('streams an awkward ratio (11 127 Hz → 16 kHz, no small common factor) as exactly as a simple one', () => {
    const out = resample(new Resampler({ inputRate: 11_127, outputRate: 16_000 }), sine(11_127, 1000, 1));
    let worst = 0;
    for (let n = 800; n < 15_000; n++) worst = Math.max(worst, Math.abs(out[n]! - 0.5 * Math.sin((2 * Math.PI * 1000 * n) / 16_000)));
    expect(worst).toBeLessThan(0.005);
  });

  it('starts from the first sample held, not from silence, so a DC offset passes from the first output', () => {
    const resampler = new Resampler({ inputRate: 48_000, outputRate: 16_000 });
    const out = resample(resampler, new Float32Array(4800).fill(-0.3));
    expect(Math.min(...out)).toBeCloseTo(-0.3, 5);
    expect(Math.max(...out)).toBeCloseTo(-0.3, 5);
  });

  it('takes extreme ratios (192 kHz → 8 kHz: a kernel of about 1400 taps)', () => {
    const out = resample(new Resampler({ inputRate: 192_000, outputRate: 8_000 }), sine(192_000, 500, 0.5));
    let worst = 0;
    for (let n = 400; n < 3_600; n++) worst = Math.max(worst, Math.abs(out[n]! - 0.5 * Math.sin((2 * Math.PI * 500 * n) / 8_000)));
    expect(worst).toBeLessThan(0.005);
  });

  it('refuses impossible rates', () => {
    expect(() => new Resampler({ inputRate: 0, outputRate: 16_000 })).toThrow(RangeError);
    expect(() => new Resampler({ inputRate: 48_000, outputRate: Infinity })).toThrow(RangeError);
  });
});
