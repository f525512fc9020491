// Test signals and the measurements that check them, computed in process (no sox, no opus-tools):
// each has an analytic expectation, so a codec or resampler is judged against the maths.

/** A sine wave, as floats. */
export function sine(frequency: number, sampleRate: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(sampleRate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
}

export interface Tone {
  frequency: number;
  amplitude: number;
  phase?: number;
}

/** A sum of sines sampled at `sampleRate`: the same call at two rates gives the ideal resampling of each other. */
export function tones(list: readonly Tone[], sampleRate: number, length: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => list.reduce((sum, tone) => sum + tone.amplitude * Math.sin((2 * Math.PI * tone.frequency * i) / sampleRate + (tone.phase ?? 0)), 0));
}

/**
 * Something shaped like voiced speech, deterministic: a glottal-like harmonic series on a gliding
 * 110-190 Hz fundamental, formant-weighted, its level swinging at a syllable rate of 4 Hz.
 */
export function speechLike(sampleRate: number, seconds: number): Float32Array {
  const length = Math.round(sampleRate * seconds);
  const out = new Float32Array(length);
  let phase = 0;
  for (let i = 0; i < length; i++) {
    const t = i / sampleRate;
    const f0 = 150 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
    phase += (2 * Math.PI * f0) / sampleRate;
    let sample = 0;
    for (let harmonic = 1; harmonic * f0 < Math.min(4000, sampleRate / 2); harmonic++) {
      const frequency = harmonic * f0;
      const formants = Math.exp(-(((frequency - 700) / 300) ** 2)) + 0.5 * Math.exp(-(((frequency - 1800) / 400) ** 2)) + 0.1;
      sample += (formants / harmonic) * Math.sin(harmonic * phase);
    }
    out[i] = 0.25 * sample * (0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t));
  }
  return out;
}

/** Normalised cross-correlation at lag 0 over the common length: 1 for identical shapes. */
export function correlation(a: Float32Array, b: Float32Array): number {
  const length = Math.min(a.length, b.length);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! ** 2;
    bb += b[i]! ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** Signal-to-noise ratio of `actual` against `reference` in dB, over the common length. */
export function snrDb(reference: Float32Array, actual: Float32Array): number {
  const length = Math.min(reference.length, actual.length);
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < length; i++) {
    signal += reference[i]! ** 2;
    noise += (reference[i]! - actual[i]!) ** 2;
  }
  return 10 * Math.log10(signal / noise);
}

/** The amplitude of the `frequency` component (Goertzel over a whole number of periods, so no leakage). */
export function toneAmplitude(samples: Float32Array, sampleRate: number, frequency: number): number {
  const periods = Math.floor((samples.length * frequency) / sampleRate);
  const length = Math.round((periods * sampleRate) / frequency);
  const omega = (2 * Math.PI * frequency) / sampleRate;
  let re = 0;
  let im = 0;
  for (let i = 0; i < length; i++) {
    re += samples[i]! * Math.cos(omega * i);
    im -= samples[i]! * Math.sin(omega * i);
  }
  return (2 * Math.hypot(re, im)) / length;
}

/** The dominant frequency by zero crossings: good enough for a clean sine. */
export function zeroCrossingFrequency(samples: Float32Array, sampleRate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1]! < 0) !== (samples[i]! < 0)) crossings++;
  return (crossings / 2) * (sampleRate / samples.length);
}

/** A deterministic pseudo-random generator (mulberry32), so a fuzz failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
