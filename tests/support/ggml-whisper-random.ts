/**
 * Fast seeded random weights. Random *bytes* would not do: one f16 in 32 would be NaN or infinity,
 * and NaN logits send whisper's decoder on long, meaningless runs. Instead every f16 gets a random
 * sign and mantissa with its exponent pinned to ±[1/64, 1/16): the magnitude of a trained layer's
 * weights, never denormal (which would slow the CPU down and skew timing).
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** xorshift32: plenty for noise, and fast enough to fill 80 MB in well under a second. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  fillHalf(target: Uint16Array): void {
    const length = target.length;
    let index = 0;
    for (; index + 1 < length; index += 2) {
      const bits = this.next();
      target[index] = smallHalf(bits & 0xffff);
      target[index + 1] = smallHalf(bits >>> 16);
    }
    if (index < length) target[index] = smallHalf(this.next() & 0xffff);
  }

  /** Uniform in [-scale, scale). */
  fillFloat(target: Float32Array, scale: number): void {
    for (let index = 0; index < target.length; index++) target[index] = (this.next() / 0x1_0000_0000 - 0.5) * 2 * scale;
  }
}

/** Keeps the sign (bit 15) and mantissa (bits 0-9); the exponent becomes 9 or 10 (2^-6 or 2^-5). */
function smallHalf(bits: number): number {
  return (bits & 0x83ff) | ((9 + ((bits >>> 10) & 1)) << 10);
}
