import { CAPTURE_SAMPLE_RATE, ParleyError } from '#protocol';
import { GrowingPcmBuffer } from './growing-pcm-buffer';
import { cancelledError } from './settle-within';
import type { SpeechToTextEngine, Transcript } from './speech-to-text-engine';
import { DEFAULT_MAX_AUDIO_SECONDS } from './utterance-audio';

export interface StreamingTranscriberOptions {
  engine: SpeechToTextEngine;
  /** The whole utterance so far, re-transcribed; each one replaces the last. */
  onPartial(text: string): void;
  /** 'auto' or an ISO 639-1 code. */
  language?: string;
  /** How often to re-decode while the user speaks. Default 1000 ms. */
  partialIntervalMs?: number;
  /** No partial for less audio than this: whisper on a syllable is mostly guesswork. Default 1000 ms. */
  minPartialAudioMs?: number;
  /** The utterance is refused at finish() beyond this. Default 300 s. */
  maxAudioSeconds?: number;
}

export interface StreamingStats {
  partialDecodes: number;
  /** Ticks that found a decode still running (or no new audio) and did nothing. */
  skippedTicks: number;
}

/**
 * One utterance transcribed as the user speaks: push() the capture's chunks, get partial
 * transcripts about once a second, and finish() at the end of speech for the final one.
 *
 * Whisper has no incremental mode, so a partial re-decodes the whole buffer. One decode at a time:
 * a tick that finds one running is skipped, so a slow machine gets fewer partials, never a queue.
 * finish() abandons a running partial (its text is already stale) and decodes everything once more.
 */
export class StreamingTranscriber {
  private readonly buffer = new GrowingPcmBuffer();
  private readonly timer: NodeJS.Timeout;
  private readonly maxSamples: number;
  private partial: { controller: AbortController; settled: Promise<void> } | undefined;
  private final: AbortController | undefined;
  private lastPartialText = '';
  private decodedSamples = 0;
  private overflowed = false;
  private state: 'listening' | 'finishing' | 'done' | 'cancelled' = 'listening';
  readonly stats: StreamingStats = { partialDecodes: 0, skippedTicks: 0 };

  constructor(private readonly options: StreamingTranscriberOptions) {
    this.maxSamples = (options.maxAudioSeconds ?? DEFAULT_MAX_AUDIO_SECONDS) * CAPTURE_SAMPLE_RATE;
    this.timer = setInterval(() => this.tick(), options.partialIntervalMs ?? 1000);
    // A forgotten transcriber must not keep the process alive.
    this.timer.unref();
  }

  /** 16 kHz mono: floats in [-1, 1], or 16-bit samples as the capture frames carry them. */
  push(pcm: Float32Array | Int16Array): void {
    if (this.state !== 'listening') return;
    if (this.buffer.length + pcm.length > this.maxSamples) {
      this.overflowed = true;
      return;
    }
    this.buffer.append(pcm);
  }

  /** End of speech: the final transcript of everything pushed. */
  async finish(): Promise<Transcript> {
    if (this.state === 'cancelled') throw cancelledError('the utterance');
    if (this.state !== 'listening') throw new ParleyError('conflict', 'finish() was already called for this utterance');
    this.state = 'finishing';
    clearInterval(this.timer);
    const partial = this.partial;
    partial?.controller.abort();
    // Engines reject a cancelled call at once; waiting for it keeps "one decode at a time" true.
    await partial?.settled;
    if (this.wasCancelled()) throw cancelledError('the utterance');
    if (this.overflowed) {
      this.state = 'done';
      throw new ParleyError('payload_too_large', `The utterance went on past ${this.maxSamples / CAPTURE_SAMPLE_RATE} s and cannot be transcribed`, {
        hint: 'Speak in shorter turns.',
      });
    }
    this.final = new AbortController();
    try {
      return await this.options.engine.transcribe(this.buffer.view(), { language: this.options.language, audioContext: 'auto', signal: this.final.signal });
    } finally {
      if (this.state === 'finishing') this.state = 'done';
    }
  }

  /** Drops the utterance: stops partials, and a pending finish() rejects with 'cancelled'. */
  cancel(): void {
    if (this.state === 'done' || this.state === 'cancelled') return;
    this.state = 'cancelled';
    clearInterval(this.timer);
    this.partial?.controller.abort();
    this.final?.abort();
  }

  /** A method, not an inline check: TypeScript would keep this.state narrowed across an await. */
  private wasCancelled(): boolean {
    return this.state === 'cancelled';
  }

  private tick(): void {
    const minSamples = ((this.options.minPartialAudioMs ?? 1000) / 1000) * CAPTURE_SAMPLE_RATE;
    const hasNewAudio = this.buffer.length > this.decodedSamples && this.buffer.length >= minSamples;
    if (this.state !== 'listening' || this.partial || !hasNewAudio) {
      this.stats.skippedTicks++;
      return;
    }
    const controller = new AbortController();
    this.partial = { controller, settled: this.decodePartial(controller) };
  }

  private async decodePartial(controller: AbortController): Promise<void> {
    const audio = this.buffer.view();
    this.decodedSamples = audio.length;
    this.stats.partialDecodes++;
    try {
      const transcript = await this.options.engine.transcribe(audio, { language: this.options.language, audioContext: 'auto', signal: controller.signal });
      if (this.state === 'listening' && transcript.text && transcript.text !== this.lastPartialText) {
        this.lastPartialText = transcript.text;
        this.options.onPartial(transcript.text);
      }
    } catch {
      // Partials are a preview: a failed one is skipped, and finish() reports what really fails.
    } finally {
      if (this.partial?.controller === controller) this.partial = undefined;
    }
  }
}
