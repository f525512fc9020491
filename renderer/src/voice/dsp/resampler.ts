/**
 * Streaming sample-rate converter for any ratio: each output sample is the input convolved with a
 * Kaiser-windowed sinc low-pass centred on its exact (fractional) position. The low-pass sits below
 * the lower of the two Nyquist frequencies, so downsampling does not alias (48 kHz → 16 kHz drops
 * everything above 8 kHz before decimating) and upsampling does not image.
 */
export interface ResamplerOptions {
  inputRate: number;
  outputRate: number;
  /** Fraction of the lower Nyquist frequency that stays flat; the rest is the transition band. */
  passband?: number;
  /** Attenuation at and above the lower Nyquist frequency. */
  stopbandDb?: number;
}

/** Kernel samples per input sample; the kernel is linearly interpolated between them. */
const PHASES = 256;
const INITIAL_CAPACITY = 4096;

export class Resampler {
  /** Input samples per output sample. */
  readonly ratio: number;
  /** Half the kernel's length, in input samples: also the converter's delay. */
  readonly halfWidth: number;
  private readonly kernel: Float32Array;
  private history = new Float32Array(INITIAL_CAPACITY);
  private length: number;
  /** Where the next output sample sits, in input samples from history[0]. */
  private position: number;

  constructor({ inputRate, outputRate, passband = 0.85, stopbandDb = 70 }: ResamplerOptions) {
    if (!(inputRate > 0) || !(outputRate > 0)) throw new RangeError(`Invalid sample rates ${inputRate} → ${outputRate}`);
    this.ratio = inputRate / outputRate;
    const nyquist = Math.min(inputRate, outputRate) / 2;
    const passHz = nyquist * passband;
    const cutoff = (passHz + nyquist) / 2 / inputRate; // cycles per input sample
    const transition = (2 * Math.PI * (nyquist - passHz)) / inputRate; // radians per input sample
    const taps = Math.ceil((stopbandDb - 8) / (2.285 * transition)) + 1;
    this.halfWidth = taps / 2;
    this.kernel = windowedSinc(cutoff, this.halfWidth, kaiserBeta(stopbandDb));
    // Silence before the first sample, so the first output is centred on input sample 0.
    this.length = Math.ceil(this.halfWidth);
    this.position = this.length;
  }

  /** The most output samples one call with `inputLength` samples can produce. */
  maxOutputFor(inputLength: number): number {
    return Math.ceil(inputLength / this.ratio) + 2;
  }

  /** Consumes `input` and writes the output samples that are now complete; returns how many. */
  process(input: Float32Array, output: Float32Array, inputLength = input.length): number {
    this.append(input, inputLength);
    const halfWidth = this.halfWidth;
    const kernel = this.kernel;
    const history = this.history;
    let written = 0;
    while (this.position + halfWidth < this.length && written < output.length) {
      const position = this.position;
      const first = Math.ceil(position - halfWidth);
      const last = Math.floor(position + halfWidth);
      let sum = 0;
      for (let k = first; k <= last; k++) {
        const at = Math.abs(position - k) * PHASES;
        const index = at | 0;
        const a = kernel[index]!;
        sum += history[k]! * (a + (at - index) * (kernel[index + 1]! - a));
      }
      output[written++] = sum;
      this.position += this.ratio;
    }
    this.discardConsumed();
    return written;
  }

  /** Pushes the samples still inside the kernel's reach out (feeds silence), e.g. at the end of a stream. */
  flush(output: Float32Array): number {
    const silence = new Float32Array(Math.ceil(this.halfWidth) + 1);
    return this.process(silence, output);
  }

  private append(input: Float32Array, inputLength: number): void {
    if (this.length + inputLength > this.history.length) {
      const grown = new Float32Array(Math.max(this.history.length * 2, this.length + inputLength));
      grown.set(this.history.subarray(0, this.length));
      this.history = grown;
    }
    this.history.set(input.subarray(0, inputLength), this.length);
    this.length += inputLength;
  }

  private discardConsumed(): void {
    const keepFrom = Math.max(0, Math.floor(this.position - this.halfWidth) - 1);
    if (keepFrom === 0) return;
    this.history.copyWithin(0, keepFrom, this.length);
    this.length -= keepFrom;
    this.position -= keepFrom;
  }
}

function kaiserBeta(stopbandDb: number): number {
  if (stopbandDb > 50) return 0.1102 * (stopbandDb - 8.7);
  if (stopbandDb >= 21) return 0.5842 * (stopbandDb - 21) ** 0.4 + 0.07886 * (stopbandDb - 21);
  return 0;
}

/** h(t) for t = i / PHASES, i ≥ 0 (the kernel is symmetric); zero past halfWidth. */
function windowedSinc(cutoff: number, halfWidth: number, beta: number): Float32Array {
  const kernel = new Float32Array(Math.floor(halfWidth * PHASES) + 2);
  const norm = besselI0(beta);
  for (let i = 0; i < kernel.length; i++) {
    const t = i / PHASES;
    if (t > halfWidth) break;
    const x = 2 * cutoff * t;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const u = t / halfWidth;
    kernel[i] = 2 * cutoff * sinc * (besselI0(beta * Math.sqrt(1 - u * u)) / norm);
  }
  return kernel;
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
