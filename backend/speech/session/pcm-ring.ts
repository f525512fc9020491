/** The last N samples heard, so an utterance keeps the syllable spoken before voice activity was detected. */
export class PcmRing {
  private readonly buffer: Int16Array;
  private length = 0;
  private start = 0;

  constructor(capacity: number) {
    this.buffer = new Int16Array(capacity);
  }

  push(pcm: Int16Array): void {
    for (const sample of pcm.length > this.buffer.length ? pcm.subarray(pcm.length - this.buffer.length) : pcm) {
      this.buffer[(this.start + this.length) % this.buffer.length] = sample;
      if (this.length < this.buffer.length) this.length++;
      else this.start = (this.start + 1) % this.buffer.length;
    }
  }

  /** Everything held, oldest first; empties the ring. */
  drain(): Int16Array {
    const out = new Int16Array(this.length);
    for (let index = 0; index < this.length; index++) out[index] = this.buffer[(this.start + index) % this.buffer.length]!;
    this.length = 0;
    this.start = 0;
    return out;
  }
}
