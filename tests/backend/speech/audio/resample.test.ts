import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, floatToPcm16, resample, rms } from '../../../../backend/speech/audio';
import { correlation, espeakWav, requireTools, run, scratchDir, sine, skipWithoutTools, zeroCrossingFrequency } from './audio-tools';

describe('resample', () => {
  it.each(['sinc', 'linear'] as const)('%s keeps a 440 Hz tone at 440 Hz and its level, 48 kHz → 16 kHz and 22.05 kHz → 16 kHz', (method) => {
    for (const from of [48000, 22050]) {
      const tone = sine(440, from, 1);
      const out = resample({ samples: tone, sampleRate: from }, 16000, method);
      expect(out.sampleRate).toBe(16000);
      expect(out.samples.length).toBe(16000);
      expect(zeroCrossingFrequency(out.samples, 16000)).toBeCloseTo(440, -1);
      expect(rms(out.samples)).toBeCloseTo(rms(tone), 2);
    }
  });

  it('upsamples 22.05 kHz → 48 kHz without changing pitch or level', () => {
    const tone = sine(1000, 22050, 0.5);
    const out = resample({ samples: tone, sampleRate: 22050 }, 48000);
    expect(out.samples.length).toBe(24000);
    expect(zeroCrossingFrequency(out.samples, 48000)).toBeCloseTo(1000, -1);
    expect(rms(out.samples)).toBeCloseTo(rms(tone), 2);
  });

  it('sinc filters what the new rate cannot carry (a 10 kHz tone into 16 kHz); linear folds it back as a 6 kHz alias', () => {
    const tone = { samples: sine(10000, 48000, 0.5), sampleRate: 48000 };
    const sinc = resample(tone, 16000, 'sinc');
    const linear = resample(tone, 16000, 'linear');
    expect(rms(sinc.samples)).toBeLessThan(0.01 * rms(tone.samples) * 5);
    expect(rms(linear.samples)).toBeGreaterThan(0.3 * rms(tone.samples));
  });

  it('keeps DC and handles one sample, the same rate, and bad rates', () => {
    const dc = resample({ samples: new Float32Array(1000).fill(0.25), sampleRate: 44100 }, 16000);
    expect(Math.min(...dc.samples)).toBeCloseTo(0.25, 4);
    expect(Math.max(...dc.samples)).toBeCloseTo(0.25, 4);
    expect(resample({ samples: Float32Array.of(0.5), sampleRate: 8000 }, 16000).samples.length).toBe(2);
    const same = { samples: Float32Array.of(1, 2), sampleRate: 16000 };
    expect(resample(same, 16000).samples).toBe(same.samples);
    expect(() => resample(same, 0)).toThrow(RangeError);
  });

  describe('against sox', () => {
    const scratch = scratchDir();
    afterAll(() => scratch.remove());

    it.skipIf(skipWithoutTools('sox', 'espeak-ng'))('espeak-ng speech at 22.05 kHz → 16 kHz matches sox\'s resampler', () => {
      requireTools('sox', 'espeak-ng');
      const speech = decodeWav(espeakWav('The quick brown fox jumps over the lazy dog.', scratch.file('speech.wav')));
      run('sox', ['-D', scratch.file('speech.wav'), '-r', '16000', scratch.file('sox16k.wav')]);
      const bySox = decodeWav(scratch.read('sox16k.wav'));
      const ours = resample(speech, 16000);
      expect(Math.abs(ours.samples.length - bySox.samples.length)).toBeLessThanOrEqual(1);
      expect(correlation(ours.samples, bySox.samples)).toBeGreaterThan(0.99);
      // and the result is still a valid WAV
      expect(decodeWav(encodeWav({ pcm: floatToPcm16(ours.samples), sampleRate: 16000 })).samples.length).toBe(ours.samples.length);
    });
  });
});
