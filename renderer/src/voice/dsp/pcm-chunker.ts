// Worklet code imports the #audio files it needs, not #audio's index: worklets are bundled on
// their own, and the index's AudioFormatError would pull #protocol and zod (~100 KB) into each.
import { floatToPcm16 } from '../../../../backend/base/audio/pcm16';

/** Cuts a stream of float samples into PCM16 chunks of a fixed length (the last one may be shorter on flush). */
export class Pcm16Chunker {
  private readonly pending: Float32Array;
  private filled = 0;

  constructor(
    readonly chunkLength: number,
    private readonly onChunk: (pcm: Int16Array) => void,
  ) {
    this.pending = new Float32Array(chunkLength);
  }

  push(samples: Float32Array, length = samples.length): void {
    let offset = 0;
    while (offset < length) {
      const take = Math.min(length - offset, this.chunkLength - this.filled);
      this.pending.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.chunkLength) this.emit();
    }
  }

  /** Emits what is pending as a shorter chunk, e.g. when push-to-talk is released. */
  flush(): void {
    if (this.filled > 0) this.emit();
  }

  private emit(): void {
    // A fresh array per chunk: it is transferred out of the worklet.
    const chunk = floatToPcm16(this.pending, this.filled);
    this.filled = 0;
    this.onChunk(chunk);
  }
}
