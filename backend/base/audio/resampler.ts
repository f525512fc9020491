/**
 * Streaming sample-rate converter for any ratio: each output sample is the input convolved with a
 * Kaiser-windowed sinc low-pass centred on its exact position. The low-pass sits below the lower of
 * the two Nyquist frequencies, so downsampling does not alias (48 kHz → 16 kHz drops everything
 * above 8 kHz before decimating) and upsampling does not image.
 *
 * For the rates Parley meets (48000, 44100, 24000, 22050, 16000...) the ratio reduces to a few
 * hundred phases, and each phase's weights are computed once: one output sample is one dot product.
 * Each phase's weights sum to exactly 1, so DC and levels pass unchanged.
 */
export interface ResamplerOptions {
  inputRate: number;
  outputRate: number;
  /** Fraction of the lower Nyquist frequency that stays flat; the rest is the transition band. */
  passband?: number;
  /** Attenuation at and above the lower Nyquist frequency. */
  stopbandDb?: number;
}

/** Above this many phases (awkward rates such as 11127 Hz) weights are interpolated from a table per sample. */
const MAX_PRECOMPUTED_PHASES = 1024;
/** Position resolution for awkward rates: 2^-20 of an input sample, a rate error under one part per million. */
const FINE_PHASES = 2 ** 20;
/** Kernel table resolution for awkward rates: values per input sample, linearly interpolated between. */
const TABLE_STEPS = 256;
const INITIAL_CAPACITY = 4096;

export class Resampler {
  /** Input samples per output sample. */
  readonly ratio: number;
  /** Half the kernel's length in input samples: how far the converter looks ahead (its latency). */
  readonly halfWidth: number;
  /** Input samples used on each side of an output's position. */
  private readonly taps: number;
  /** The output position advances by `down / up` input samples: `up` phases between two inputs. */
  private readonly up: number;
  private readonly down: number;
  /** `up` rows of `2 × taps + 1` weights, when the phases are few enough to precompute. */
  private readonly phaseWeights: Float32Array | undefined;
  /** The kernel from 0 to halfWidth in 1/TABLE_STEPS steps, for awkward rates. */
  private readonly kernelTable: Float32Array | undefined;
  private history: Float32Array;
  private length = 0;
  /** The next output sits at history[base] + phase / up. */
  private base = 0;
  private phase = 0;
  private started = false;
  private lastInput = 0;

  constructor({ inputRate, outputRate, passband = 0.85, stopbandDb = 70 }: ResamplerOptions) {
    if (!(inputRate > 0) || !(outputRate > 0) || !Number.isFinite(inputRate) || !Number.isFinite(outputRate)) {
      throw new RangeError(`Invalid sample rates ${inputRate} → ${outputRate}`);
    }
    this.ratio = inputRate / outputRate;
    const nyquist = Math.min(inputRate, outputRate) / 2;
    const passHz = nyquist * passband;
    const cutoff = (passHz + nyquist) / 2 / inputRate; // cycles per input sample
    const transition = (2 * Math.PI * (nyquist - passHz)) / inputRate; // radians per input sample
    // Kaiser's estimate of the length that reaches `stopbandDb` over that transition band.
    this.halfWidth = (Math.ceil((stopbandDb - 8) / (2.285 * transition)) + 1) / 2;
    this.taps = Math.ceil(this.halfWidth);
    const kernel = kaiserSinc(cutoff, this.halfWidth, kaiserBeta(stopbandDb));
    // Room for the held lead-in and a few blocks; it grows when a caller pushes more at once.
    this.history = new Float32Array(Math.max(INITIAL_CAPACITY, 4 * this.taps));

    const exact = Number.isInteger(inputRate) && Number.isInteger(outputRate);
    const divisor = exact ? gcd(inputRate, outputRate) : 1;
    if (exact && outputRate / divisor <= MAX_PRECOMPUTED_PHASES) {
      this.up = outputRate / divisor;
      this.down = inputRate / divisor;
      this.phaseWeights = precomputePhases(this.up, this.taps, kernel);
    } else {
      this.up = FINE_PHASES;
      this.down = Math.round(this.ratio * FINE_PHASES);
      this.kernelTable = Float32Array.from({ length: Math.floor(this.halfWidth * TABLE_STEPS) + 2 }, (_, i) => kernel(i / TABLE_STEPS));
    }
  }

  /** The most output samples one call with `inputLength` samples can produce. */
  maxOutputFor(inputLength: number): number {
    return Math.ceil(inputLength / this.ratio) + 2;
  }

  /** The most output samples {@link flush} can produce. */
  maxFlushOutput(): number {
    return this.maxOutputFor(this.taps + 1);
  }

  /** Consumes `input` and writes the output samples that are now complete; returns how many. */
  process(input: Float32Array, output: Float32Array, inputLength = input.length): number {
    if (inputLength > 0 && !this.started) {
      // Before the first sample the signal is taken to hold its first value, so a stream that
      // starts away from zero (a DC offset, a cut mid-word) does not start with a filter ramp.
      this.history.fill(input[0]!, 0, this.taps);
      this.length = this.taps;
      this.base = this.taps;
      this.started = true;
    }
    this.append(input, inputLength);
    // Locals in the hot loop: it runs once per output sample, in a worklet's 3 ms budget too.
    const { taps, up, down, history, phaseWeights } = this;
    const width = 2 * taps + 1;
    const end = this.length - taps;
    let base = this.base;
    let phase = this.phase;
    let written = 0;
    while (base < end && written < output.length) {
      const first = base - taps;
      let sum = 0;
      if (phaseWeights) {
        const row = phase * width;
        for (let j = 0; j < width; j++) sum += history[first + j]! * phaseWeights[row + j]!;
      } else {
        sum = this.interpolated(first, width, phase / up);
      }
      output[written++] = sum;
      phase += down;
      if (phase >= up) {
        const whole = Math.floor(phase / up);
        base += whole;
        phase -= whole * up;
      }
    }
    this.base = base;
    this.phase = phase;
    this.discardConsumed();
    return written;
  }

  /** Pushes out the samples still inside the kernel's reach (holding the last value), at the end of a stream. */
  flush(output: Float32Array): number {
    if (!this.started) return 0;
    return this.process(new Float32Array(this.taps + 1).fill(this.lastInput), output);
  }

  private interpolated(first: number, width: number, fraction: number): number {
    const table = this.kernelTable!;
    let sum = 0;
    let total = 0;
    for (let j = 0; j < width; j++) {
      const at = Math.abs(fraction - (j - this.taps)) * TABLE_STEPS;
      const index = at | 0;
      if (index + 1 >= table.length) continue;
      const weight = table[index]! + (at - index) * (table[index + 1]! - table[index]!);
      sum += this.history[first + j]! * weight;
      total += weight;
    }
    return total > 0 ? sum / total : 0;
  }

  private append(input: Float32Array, inputLength: number): void {
    if (inputLength === 0) return;
    if (this.length + inputLength > this.history.length) {
      const grown = new Float32Array(Math.max(this.history.length * 2, this.length + inputLength));
      grown.set(this.history.subarray(0, this.length));
      this.history = grown;
    }
    this.history.set(input.subarray(0, inputLength), this.length);
    this.length += inputLength;
    this.lastInput = input[inputLength - 1]!;
  }

  private discardConsumed(): void {
    const keepFrom = this.base - this.taps;
    if (keepFrom <= 0) return;
    this.history.copyWithin(0, keepFrom, this.length);
    this.length -= keepFrom;
    this.base -= keepFrom;
  }
}

/** For each phase p (the output at fraction p/up past an input sample), its 2·taps+1 weights, summing to 1. */
function precomputePhases(up: number, taps: number, kernel: (distance: number) => number): Float32Array {
  const width = 2 * taps + 1;
  const weights = new Float32Array(up * width);
  const row = new Float64Array(width);
  for (let phase = 0; phase < up; phase++) {
    let total = 0;
    for (let j = 0; j < width; j++) {
      row[j] = kernel(Math.abs(phase / up - (j - taps)));
      total += row[j]!;
    }
    for (let j = 0; j < width; j++) weights[phase * width + j] = row[j]! / total;
  }
  return weights;
}

function kaiserBeta(stopbandDb: number): number {
  if (stopbandDb > 50) return 0.1102 * (stopbandDb - 8.7);
  if (stopbandDb >= 21) return 0.5842 * (stopbandDb - 21) ** 0.4 + 0.07886 * (stopbandDb - 21);
  return 0;
}

/** h(t), t ≥ 0 in input samples: a sinc low-pass at `cutoff` cycles per sample under a Kaiser window, 0 past halfWidth. */
function kaiserSinc(cutoff: number, halfWidth: number, beta: number): (t: number) => number {
  const norm = besselI0(beta);
  return (t) => {
    if (t > halfWidth) return 0;
    const x = 2 * cutoff * t;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const u = t / halfWidth;
    return 2 * cutoff * sinc * (besselI0(beta * Math.sqrt(1 - u * u)) / norm);
  };
}

/** Modified Bessel function of the first kind, order 0 (series; converges fast for the betas used). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const half = x / 2;
  for (let k = 1; k < 50; k++) {
    term *= (half / k) ** 2;
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
