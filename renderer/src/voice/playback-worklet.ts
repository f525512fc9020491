// Worklet code imports the #audio files it needs, not #audio's index: worklets are bundled on
// their own, and the index's AudioFormatError would pull #protocol and zod (~100 KB) into each.
import { pcm16ToFloat } from '../../../backend/base/audio/pcm16';
import { Resampler } from '../../../backend/base/audio/resampler';
import { SampleQueue } from './dsp/sample-queue';
import { PLAYBACK_PROCESSOR, type PlaybackCommand, type PlaybackMessage } from './worklet-messages';
import { workletScope, type WorkletProcessor } from './worklet-scope';

/** A stop fades out over this long: fast enough to feel instant, long enough not to click. */
const STOP_FADE_SECONDS = 0.004;

/** Synthesised PCM16 (any rate) → the context's rate, queued, played; dropped within a few ms on stop. */
class PlaybackProcessor extends workletScope.AudioWorkletProcessor implements WorkletProcessor {
  private readonly queue = new SampleQueue();
  private sourceRate = workletScope.sampleRate;
  private resampler: Resampler | null = null;
  private playing = false;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    this.port.onmessage = (event: MessageEvent<PlaybackCommand>) => this.command(event.data);
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]?.[0];
    if (!out) return true;
    const used = this.queue.read(out);
    this.setPlaying(used > 0 || this.queue.available > 0);
    return true;
  }

  private command(command: PlaybackCommand): void {
    switch (command.type) {
      case 'start':
        this.sourceRate = command.sampleRate;
        this.resampler = this.freshResampler();
        break;
      case 'pcm': {
        const samples = pcm16ToFloat(command.pcm);
        this.queue.push(this.resampler ? this.resample(this.resampler, samples) : samples);
        break;
      }
      case 'end':
        if (this.resampler) {
          const tail = new Float32Array(this.resampler.maxFlushOutput());
          this.queue.push(tail.subarray(0, this.resampler.flush(tail)));
        }
        break;
      case 'stop':
        this.queue.stop(STOP_FADE_SECONDS * workletScope.sampleRate);
        this.resampler = this.freshResampler();
        break;
    }
  }

  private freshResampler(): Resampler | null {
    return this.sourceRate === workletScope.sampleRate ? null : new Resampler({ inputRate: this.sourceRate, outputRate: workletScope.sampleRate });
  }

  private resample(resampler: Resampler, samples: Float32Array): Float32Array {
    const out = new Float32Array(resampler.maxOutputFor(samples.length));
    return out.subarray(0, resampler.process(samples, out));
  }

  private setPlaying(playing: boolean): void {
    if (playing === this.playing) return;
    this.playing = playing;
    this.port.postMessage({ type: 'playing', playing } satisfies PlaybackMessage);
  }
}

workletScope.registerProcessor(PLAYBACK_PROCESSOR, PlaybackProcessor);
