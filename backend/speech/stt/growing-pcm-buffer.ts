import { pcm16ToFloat } from '#audio';

/** An utterance's samples as they arrive: appends in amortised constant time, reads without copying. */
export class GrowingPcmBuffer {
  private samples = new Float32Array(16_000 * 4);
  private used = 0;

  get length(): number {
    return this.used;
  }

  append(pcm: Float32Array | Int16Array): void {
    if (this.used + pcm.length > this.samples.length) {
      const grown = new Float32Array(Math.max(this.samples.length * 2, this.used + pcm.length));
      grown.set(this.samples.subarray(0, this.used));
      this.samples = grown;
    }
    if (pcm instanceof Float32Array) this.samples.set(pcm, this.used);
    else pcm16ToFloat(pcm, this.samples.subarray(this.used, this.used + pcm.length));
    this.used += pcm.length;
  }

  /**
   * Everything so far. A view, not a copy: later appends write past its end or into a new array,
   * so it stays valid and unchanged while a decode reads it.
   */
  view(): Float32Array {
    return this.samples.subarray(0, this.used);
  }
}
