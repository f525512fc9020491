import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, floatToPcm16, resample, rms } from '#audio';
import { correlation, sine, snrDb, toneAmplitude, tones, zeroCrossingFrequency, type Tone } from './signals';

describe('resample (a whole clip)', () => {
  it('keeps a 440 Hz tone at 440 Hz and its level, 48 kHz → 16 kHz and 22.05 kHz → 16 kHz', () => {
    for (const from of [48000, 22050]) {
      const tone = sine(440, from, 1);
      const out = resample({ samples: tone, sampleRate: from }, 16000);
      expect(out.sampleRate).toBe(16000);
      expect(out.samples.length).toBe(16000);
      expect(zeroCrossingFrequency(out.samples, 16000)).toBeCloseTo(440, -1);
      expect(toneAmplitude(out.samples, 16000, 440)).toBeCloseTo(0.5, 3);
      expect(rms(out.samples)).toBeCloseTo(rms(tone), 2);
    }
  });

  it('upsamples 22.05 kHz → 48 kHz without changing pitch or level', () => {
    const tone = sine(1000, 22050, 0.5);
    const out = resample({ samples: tone, sampleRate: 22050 }, 48000);
    expect(out.samples.length).toBe(24000);
    expect(zeroCrossingFrequency(out.samples, 48000)).toBeCloseTo(1000, -1);
    expect(toneAmplitude(out.samples, 48000, 1000)).toBeCloseTo(0.5, 3);
  });

  // What sox's resampler was the reference for: a speech-band mix, converted, must be the same mix
  // sampled at the new rate, sample for sample (the maths is the reference now, and a stricter one).
  it.each([
    [22050, 16000],
    [44100, 16000],
    [48000, 16000],
    [16000, 48000],
    [24000, 22050],
    [11127, 16000], // an awkward rate: no small ratio, the interpolated-kernel path
  ])('turns a 200-6000 Hz mix at %i Hz into the same mix at %i Hz (SNR > 50 dB away from the edges)', (from, to) => {
    const mix: Tone[] = [
      { frequency: 200, amplitude: 0.3 },
      { frequency: 1000, amplitude: 0.2, phase: 1 },
      { frequency: 3100, amplitude: 0.1, phase: 2 },
      { frequency: Math.min(6000, 0.75 * (Math.min(from, to) / 2)), amplitude: 0.05, phase: 0.5 },
    ];
    const seconds = 1;
    const out = resample({ samples: tones(mix, from, Math.round(from * seconds)), sampleRate: from }, to);
    expect(out.samples.length).toBe(Math.round(to * seconds));
    const ideal = tones(mix, to, out.samples.length);
    const edge = Math.round(to * 0.02);
    const middle = (samples: Float32Array) => samples.subarray(edge, samples.length - edge);
    expect(snrDb(middle(ideal), middle(out.samples))).toBeGreaterThan(50);
    expect(correlation(out.samples, ideal)).toBeGreaterThan(0.999);
    // and the result is still a valid WAV of that length
    expect(decodeWav(encodeWav({ pcm: floatToPcm16(out.samples), sampleRate: to })).samples.length).toBe(out.samples.length);
  });

  it('filters what the new rate cannot carry (a 10 kHz tone into 16 kHz) instead of folding it back to 6 kHz', () => {
    const tone = { samples: sine(10000, 48000, 0.5), sampleRate: 48000 };
    const out = resample(tone, 16000);
    // The whole clip, edges included (the held last sample rings a little), and the steady state.
    expect(rms(out.samples)).toBeLessThan(0.01 * rms(tone.samples));
    expect(rms(out.samples.subarray(320, out.samples.length - 320))).toBeLessThan(0.001 * rms(tone.samples));
    expect(toneAmplitude(out.samples.subarray(320), 16000, 6000)).toBeLessThan(0.001 * 0.5);
  });

  it('keeps DC to the edges and handles one sample, the same rate, and bad rates', () => {
    const dc = resample({ samples: new Float32Array(1000).fill(0.25), sampleRate: 44100 }, 16000);
    expect(Math.min(...dc.samples)).toBeCloseTo(0.25, 4);
    expect(Math.max(...dc.samples)).toBeCloseTo(0.25, 4);
    expect(resample({ samples: Float32Array.of(0.5), sampleRate: 8000 }, 16000).samples.length).toBe(2);
    const same = { samples: Float32Array.of(1, 2), sampleRate: 16000 };
    expect(resample(same, 16000).samples).toBe(same.samples);
    expect(() => resample(same, 0)).toThrow(RangeError);
    expect(() => resample(same, Number.NaN)).toThrow(RangeError);
  });
});
