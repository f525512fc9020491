import type { FloatAudio } from './audio-types';

export type ResampleMethod = 'sinc' | 'linear';

/** Zero crossings of the sinc kept on each side: ±12 gives ~70 dB stopband with a Blackman window. */
const HALF_ZERO_CROSSINGS = 12;
/** Kernel table resolution: values per zero crossing, linearly interpolated between. */
const TABLE_STEPS = 512;
/** Downsampling cuts a little below the new Nyquist so the window's transition band does not alias. */
const DOWNSAMPLE_CUTOFF = 0.94;

/**
 * Changes the sample rate. `sinc` (the default) is a windowed-sinc interpolator that low-passes
 * before decimating, so 48 kHz → 16 kHz does not fold 8-24 kHz content back into speech; it costs
 * a few ms per second of audio. `linear` is the cheapest and aliases when downsampling.
 */
export function resample(audio: FloatAudio, targetRate: number, method: ResampleMethod = 'sinc'): FloatAudio {
  if (!Number.isFinite(targetRate) || targetRate <= 0) throw new RangeError(`Invalid target sample rate: ${targetRate}`);
  if (audio.sampleRate === targetRate || audio.samples.length === 0) return { samples: audio.samples, sampleRate: targetRate };
  const samples = method === 'linear' ? resampleLinear(audio.samples, audio.sampleRate, targetRate) : resampleSinc(audio.samples, audio.sampleRate, targetRate);
  return { samples, sampleRate: targetRate };
}

function outputLength(inputLength: number, fromRate: number, toRate: number): number {
  return Math.max(1, Math.round((inputLength * toRate) / fromRate));
}

function resampleLinear(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  const output = new Float32Array(outputLength(input.length, fromRate, toRate));
  const step = fromRate / toRate;
  const last = input.length - 1;
  for (let n = 0; n < output.length; n++) {
    const position = n * step;
    const index = Math.floor(position);
    if (index >= last) {
      output[n] = input[last]!;
    } else {
      const fraction = position - index;
      output[n] = input[index]! + (input[index + 1]! - input[index]!) * fraction;
    }
  }
  return output;
}

let kernelTable: Float32Array | undefined;

/** Blackman-windowed sinc over [0, HALF_ZERO_CROSSINGS] zero crossings, built once. */
function kernel(): Float32Array {
  if (kernelTable) return kernelTable;
  const table = new Float32Array(HALF_ZERO_CROSSINGS * TABLE_STEPS + 2);
  for (let i = 0; i < table.length; i++) {
    const x = i / TABLE_STEPS;
    if (x >= HALF_ZERO_CROSSINGS) continue;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const phase = (Math.PI * x) / HALF_ZERO_CROSSINGS;
    table[i] = sinc * (0.42 + 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase));
  }
  kernelTable = table;
  return table;
}

/** Above this many distinct fractional positions, weights are looked up per sample instead of precomputed. */
const MAX_PRECOMPUTED_PHASES = 4096;

function resampleSinc(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  const table = kernel();
  const output = new Float32Array(outputLength(input.length, fromRate, toRate));
  // Cutoff relative to the input's Nyquist: 1 when upsampling, below the output's Nyquist when downsampling.
  const cutoff = toRate < fromRate ? (toRate / fromRate) * DOWNSAMPLE_CUTOFF : 1;
  const halfWidth = HALF_ZERO_CROSSINGS / cutoff; // in input samples
  const taps = Math.ceil(halfWidth);
  const scale = cutoff * TABLE_STEPS;
  const weightAt = (distance: number): number => {
    const at = Math.abs(distance) * scale;
    const index = Math.floor(at);
    return index + 1 < table.length ? table[index]! + (table[index + 1]! - table[index]!) * (at - index) : 0;
  };

  // Output n sits at input position n·down/up: an integer base plus one of `up` fractions (phases).
  // For the usual rates (48000/16000, 22050/16000, 22050/48000) there are few phases, so each
  // phase's weights are computed once and every sample away from the edges is one dot product.
  const divisor = gcd(Math.round(fromRate), Math.round(toRate));
  const up = Math.round(toRate) / divisor;
  const down = Math.round(fromRate) / divisor;
  const exact = Number.isInteger(fromRate) && Number.isInteger(toRate) && up <= MAX_PRECOMPUTED_PHASES;
  const width = 2 * taps + 1;
  const weights = exact ? phaseWeights(up, taps, weightAt) : undefined;

  for (let n = 0; n < output.length; n++) {
    const base = exact ? Math.floor((n * down) / up) : Math.floor((n * fromRate) / toRate);
    const first = base - taps;
    if (weights && first >= 0 && base + taps < input.length) {
      const offset = ((n * down) % up) * width;
      let sum = 0;
      for (let j = 0; j < width; j++) sum += input[first + j]! * weights[offset + j]!;
      output[n] = sum;
      continue;
    }
    // Near the edges (or for awkward rates): only the taps that exist, normalised by their weight,
    // which keeps DC gain at exactly 1.
    const position = (n * fromRate) / toRate;
    let sum = 0;
    let total = 0;
    for (let k = Math.max(0, first); k <= Math.min(input.length - 1, base + taps + 1); k++) {
      const weight = weightAt(position - k);
      sum += input[k]! * weight;
      total += weight;
    }
    output[n] = total > 0 ? sum / total : 0;
  }
  return output;
}

/** For each phase p (fraction p/up), the weights of input samples base-taps … base+taps, summing to 1. */
function phaseWeights(up: number, taps: number, weightAt: (distance: number) => number): Float32Array {
  const width = 2 * taps + 1;
  const weights = new Float32Array(up * width);
  for (let phase = 0; phase < up; phase++) {
    const fraction = phase / up;
    let total = 0;
    for (let j = 0; j < width; j++) total += weightAt(fraction - (j - taps));
    for (let j = 0; j < width; j++) weights[phase * width + j] = weightAt(fraction - (j - taps)) / total;
  }
  return weights;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
