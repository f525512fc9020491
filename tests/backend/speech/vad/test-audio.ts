// Test audio for the VAD: espeak-ng speech (the product's WASM build, resampled in process to 16 kHz
// mono; see tests/support/test-speech.ts), padded with silences of known length, so where speech
// starts and stops is known to the sample.
import { floatToPcm16 } from '#audio';
import { spokenSamples } from '../../../support/test-speech';

export const SAMPLE_RATE = 16_000;
const SAMPLES_PER_MS = SAMPLE_RATE / 1000;

/** `text` spoken by espeak-ng, as 16 kHz mono floats (via PCM16, exactly what the console sends). */
export function synthesize(text: string, options: { voice?: string; wordsPerMinute?: number } = {}): Float32Array {
  return spokenSamples(text, SAMPLE_RATE, options);
}

/**
 * Where the speech really is inside a synthesised clip: espeak pads its output with silence of its
 * own (and leaves near-silent gaps between words), so the truth is the first and last 10 ms frame
 * whose RMS is at least 1/30 of the loudest frame's (-30 dB), in ms from the clip's start.
 */
export function speechExtent(clip: Float32Array): { startMs: number; endMs: number } {
  const frame = 10 * SAMPLES_PER_MS;
  const rms: number[] = [];
  for (let offset = 0; offset < clip.length; offset += frame) {
    const end = Math.min(offset + frame, clip.length);
    let sum = 0;
    for (let i = offset; i < end; i++) sum += clip[i]! ** 2;
    rms.push(Math.sqrt(sum / (end - offset)));
  }
  const threshold = Math.max(...rms) / 30;
  const first = rms.findIndex((v) => v >= threshold);
  const last = rms.findLastIndex((v) => v >= threshold);
  return { startMs: first * 10, endMs: (last + 1) * 10 };
}

export type Segment = { silenceMs: number } | { speech: Float32Array; gain?: number } | { noise: Float32Array };

export interface ComposedAudio {
  samples: Float32Array;
  /** The true speech extent of each speech segment, stream ms. */
  truth: { startMs: number; endMs: number }[];
  durationMs: number;
}

/** Concatenates silences, speech clips (with gain) and raw audio; reports where the speech truly is. */
export function compose(segments: Segment[]): ComposedAudio {
  const parts: Float32Array[] = [];
  const truth: ComposedAudio['truth'] = [];
  let at = 0;
  for (const segment of segments) {
    let part: Float32Array;
    if ('silenceMs' in segment) part = new Float32Array(segment.silenceMs * SAMPLES_PER_MS);
    else if ('noise' in segment) part = segment.noise;
    else {
      const gain = segment.gain ?? 1;
      part = segment.speech.map((v) => v * gain);
      const extent = speechExtent(segment.speech);
      truth.push({ startMs: at / SAMPLES_PER_MS + extent.startMs, endMs: at / SAMPLES_PER_MS + extent.endMs });
    }
    parts.push(part);
    at += part.length;
  }
  const samples = new Float32Array(at);
  let offset = 0;
  for (const part of parts) {
    samples.set(part, offset);
    offset += part.length;
  }
  return { samples, truth, durationMs: at / SAMPLES_PER_MS };
}

/** Adds `other` onto `base` from `atMs` (in place), e.g. noise under speech. */
export function mixInto(base: Float32Array, other: Float32Array, atMs = 0): Float32Array {
  const offset = atMs * SAMPLES_PER_MS;
  for (let i = 0; i < other.length && offset + i < base.length; i++) base[offset + i]! += other[i]!;
  return base;
}

/** Uniform white noise in [-amplitude, amplitude], from a seeded generator (the same every run). */
export function whiteNoise(durationMs: number, amplitude: number, seed = 1): Float32Array {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float32Array.from({ length: durationMs * SAMPLES_PER_MS }, () => (next() * 2 - 1) * amplitude);
}

export function toPcm16(samples: Float32Array): Int16Array {
  return floatToPcm16(samples);
}

/** Yields `samples` in chunks of `size` (the last may be shorter). */
export function* chunks<T extends Int16Array | Float32Array>(samples: T, size: number): Generator<T> {
  for (let offset = 0; offset < samples.length; offset += size) yield samples.subarray(offset, offset + size) as T;
}
