// Worklet code imports the #audio files it needs, not #audio's index: worklets are bundled on
// their own, and the index's AudioFormatError would pull #protocol and zod (~100 KB) into each.
import { Pcm16Chunker } from './dsp/pcm-chunker';
import { Resampler } from '../../../backend/base/audio/resampler';
import { CAPTURE_PROCESSOR, type CaptureCommand, type CaptureMessage, type CaptureOptions } from './worklet-messages';
import { workletScope, type WorkletProcessor } from './worklet-scope';

const RENDER_QUANTUM = 128;

/** Microphone (mono, the context's rate) → PCM16 chunks at the capture rate, posted to the main thread. */
class CaptureProcessor extends workletScope.AudioWorkletProcessor implements WorkletProcessor {
  private readonly resampler: Resampler;
  private readonly chunker: Pcm16Chunker;
  private resampled: Float32Array;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    const { outputRate, chunkSamples } = options.processorOptions as CaptureOptions;
    this.resampler = new Resampler({ inputRate: workletScope.sampleRate, outputRate });
    this.resampled = new Float32Array(this.resampler.maxOutputFor(RENDER_QUANTUM));
    this.chunker = new Pcm16Chunker(chunkSamples, (pcm) => this.post({ type: 'chunk', pcm }, [pcm.buffer]));
    this.port.onmessage = (event: MessageEvent<CaptureCommand>) => {
      if (event.data.type === 'flush') {
        this.chunker.flush();
        this.post({ type: 'flushed' });
      }
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const mono = inputs[0]?.[0];
    if (!mono) return true;
    const needed = this.resampler.maxOutputFor(mono.length);
    if (this.resampled.length < needed) this.resampled = new Float32Array(needed);
    this.chunker.push(this.resampled, this.resampler.process(mono, this.resampled));
    return true;
  }

  private post(message: CaptureMessage, transfer: Transferable[] = []): void {
    this.port.postMessage(message, transfer);
  }
}

workletScope.registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
