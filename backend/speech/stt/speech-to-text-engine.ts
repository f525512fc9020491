/**
 * The one interface every speech-to-text engine implements: whisper.cpp in-process, whisper.cpp's
 * CLI spawned per utterance, and any OpenAI-compatible transcription endpoint.
 */

/**
 * 'full' encodes whisper's whole 30 s window whatever the utterance's length; 'auto' shrinks the
 * encoder's window (whisper.cpp's audio_ctx) to the utterance, which is much faster for a short one.
 */
export type AudioContextMode = 'auto' | 'full';

export interface TranscribeOptions {
  /** 'auto' to detect it, or an ISO 639-1 code ('en', 'de'...). Default 'auto'. */
  language?: string;
  /** Default 'auto'. Engines that cannot shrink the window say so in their capabilities. */
  audioContext?: AudioContextMode;
  signal?: AbortSignal;
  /** The text so far, for engines that learn it before they finish (long audio, segment by segment). */
  onPartial?(text: string): void;
}

export interface TranscriptSegment {
  startMs: number;
  endMs: number;
  text: string;
}

export interface TranscriptTimings {
  /** Loading the model as part of this call; absent when it was already loaded. */
  loadMs?: number;
  /** The model's own work (for the CLI: the process, which reloads the model every time). */
  inferenceMs: number;
  /** Call to result, wall clock: waiting for an earlier call, loading and inference. */
  totalMs: number;
}

export interface Transcript {
  /** Trimmed; empty when nothing was said (empty or silent audio). */
  text: string;
  /** What was transcribed as: the detected language for 'auto', when the engine reports it. */
  language?: string;
  segments: TranscriptSegment[];
  timings: TranscriptTimings;
  /** The encoder window actually used (whisper's audio_ctx); absent when the full window was. */
  audioContext?: number;
}

export interface SpeechToTextCapabilities {
  /** Whether audioContext 'auto' is applied (else every utterance pays for a 30 s window). */
  audioContext: boolean;
  /** Whether cancelling stops the computation itself, not only the caller's wait for it. */
  abortsComputation: boolean;
  /** Whether the model stays loaded between utterances. */
  keepsModelLoaded: boolean;
}

export interface SpeechToTextEngine {
  /** Stable, for logs and settings: 'whisper-in-process', 'whisper-cli', 'remote'. */
  readonly id: string;
  readonly capabilities: SpeechToTextCapabilities;
  /** Idempotent; transcribe() loads on first use too, and reports the time in timings.loadMs. */
  load(): Promise<void>;
  /**
   * 16 kHz mono samples in [-1, 1]. Empty or silent audio gives an empty transcript; NaN samples
   * and audio over the engine's maximum length are refused with a ParleyError (invalid_params,
   * payload_too_large). Rejects with ParleyError 'cancelled' when the signal aborts and 'timeout'
   * when the engine's deadline passes.
   */
  transcribe(pcm: Float32Array, options?: TranscribeOptions): Promise<Transcript>;
  unload(): Promise<void>;
}
