/**
 * The playback queue: chunks of float samples read out one render quantum at a time. stop() fades
 * the next few milliseconds out (a hard cut clicks) and drops everything after them.
 */
export class SampleQueue {
  private chunks: Float32Array[] = [];
  private offset = 0;
  private queued = 0;
  private fadeLength = 0;
  private fadeLeft = 0;

  get available(): number {
    return this.queued;
  }

  push(samples: Float32Array): void {
    if (samples.length === 0) return;
    this.chunks.push(samples);
    this.queued += samples.length;
  }

  /** Fills `out` from the queue and silence after it; returns how many queued samples it used. */
  read(out: Float32Array): number {
    let written = 0;
    while (written < out.length && this.chunks.length > 0) {
      const chunk = this.chunks[0]!;
      const take = Math.min(out.length - written, chunk.length - this.offset);
      out.set(chunk.subarray(this.offset, this.offset + take), written);
      written += take;
      this.offset += take;
      if (this.offset === chunk.length) {
        this.chunks.shift();
        this.offset = 0;
      }
    }
    out.fill(0, written);
    this.queued -= written;
    if (this.fadeLeft > 0) this.applyFade(out, written);
    return written;
  }

  /** Keeps only the next `fadeSamples` samples, faded out, so playback ends within that time. */
  stop(fadeSamples: number): void {
    const keep = Math.min(Math.max(0, Math.floor(fadeSamples)), this.queued);
    this.truncate(keep);
    this.fadeLength = keep;
    this.fadeLeft = keep;
  }

  clear(): void {
    this.chunks = [];
    this.offset = 0;
    this.queued = 0;
    this.fadeLeft = 0;
  }

  private applyFade(out: Float32Array, written: number): void {
    for (let i = 0; i < written && this.fadeLeft > 0; i++) {
      this.fadeLeft--;
      out[i] = out[i]! * (this.fadeLeft / this.fadeLength);
    }
  }

  private truncate(keep: number): void {
    const kept: Float32Array[] = [];
    let remaining = keep;
    let offset = this.offset;
    for (const chunk of this.chunks) {
      if (remaining === 0) break;
      const take = Math.min(remaining, chunk.length - offset);
      kept.push(chunk.subarray(offset, offset + take));
      remaining -= take;
      offset = 0;
    }
    this.chunks = kept;
    this.offset = 0;
    this.queued = keep;
  }
}
