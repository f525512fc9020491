import { CAPTURE_SAMPLE_RATE } from '#protocol';
import { pcm16ToFloat } from '#audio';
import { SILERO_WINDOW_SAMPLES, SileroVad, type SpeechProbabilityModel } from './silero-vad';
import { vadThresholds, type VadThresholds } from './thresholds';

const SAMPLES_PER_MS = CAPTURE_SAMPLE_RATE / 1000;
const WINDOW_MS = SILERO_WINDOW_SAMPLES / SAMPLES_PER_MS;

export interface VadOptions {
  /** Setting 'voice.vad.silenceMs': silence (windows below the negative threshold) that ends an utterance. */
  silenceMs: number;
  /** Setting 'voice.vad.sensitivity', 0..1; see {@link vadThresholds}. */
  sensitivity: number;
  /** Speech windows (at or above the positive threshold) an onset needs; rounded up to whole 32 ms windows. */
  minSpeechMs: number;
  /**
   * The same while the agent plays audio. Barge-in must stop playback within ~100 ms of the user's
   * first word, and the raised playback threshold already demands clear speech: one window does.
   */
  bargeInMinSpeechMs: number;
  /** Audio kept from before the onset, so the first syllable reaches the transcriber. */
  preRollMs: number;
  /** Audio kept after the speech end, for trailing consonants the model fades out on early. */
  postRollMs: number;
  /** An utterance this long ends (reason 'max-length') even if the speaker has not stopped. */
  maxUtteranceMs: number;
}

export const DEFAULT_VAD_OPTIONS: Readonly<VadOptions> = {
  silenceMs: 500,
  sensitivity: 0.5,
  minSpeechMs: 96,
  bargeInMinSpeechMs: 32,
  preRollMs: 300,
  postRollMs: 100,
  maxUtteranceMs: 60_000,
};

export interface SpeechEndInfo {
  /** Onset, as reported by onSpeechStart. */
  startMs: number;
  /** Where speech stopped: the start of the first silent window of the silence that ended it. */
  endMs: number;
  /** `endMs - startMs`. */
  durationMs: number;
  reason: 'silence' | 'max-length' | 'flush';
  /** 16 kHz mono in [-1, 1]: pre-roll + speech + post-roll, from `audioStartMs` to `audioEndMs`. */
  audio: Float32Array;
  audioStartMs: number;
  audioEndMs: number;
}

export interface VadWindowInfo {
  /** Start of the window, stream time. */
  atMs: number;
  probability: number;
  /** Whether the detector is inside an utterance after this window. */
  speaking: boolean;
  /** Wall-clock time the model took on this window. */
  inferenceMs: number;
}

export interface VadStats {
  windows: number;
  totalInferenceMs: number;
  maxInferenceMs: number;
}

type SpeechStartListener = (atMs: number) => void;
type SpeechEndListener = (atMs: number, info: SpeechEndInfo) => void;
type WindowListener = (info: VadWindowInfo) => void;

interface Candidate {
  startSample: number;
  speechWindows: number;
}

interface Utterance {
  startSample: number;
  /** Start of the silence that is running now; null while speech goes on. */
  silenceStartSample: number | null;
  windows: Float32Array[];
  firstWindowSample: number;
  /** Where the utterance's audio begins: the pre-roll, as far back as there is audio for it. */
  audioStartSample: number;
}

/**
 * Voice-activity detection for one capture stream (16 kHz mono). Feed chunks of any length; they
 * are cut into 32 ms windows, scored by Silero, and run through a hysteresis state machine:
 *
 * - **Onset**: a candidate opens at a window with P ≥ positive; it becomes speech once it holds
 *   `minSpeechMs` worth of such windows, and is dropped by a window below negative before that.
 *   `onSpeechStart(atMs)` reports the candidate's first window, i.e. when speech began, not when
 *   the detector became sure (that is `minSpeechMs` later).
 * - **End**: a window below negative starts a silence (windows between the thresholds neither start
 *   nor break it; a window ≥ positive does). When the silence reaches `silenceMs`,
 *   `onSpeechEnd(atMs, info)` fires: `info.endMs` is where the silence began (the speech end) and
 *   `atMs` is when the end was declared, `info.endMs + silenceMs` rounded up to a whole window.
 *
 * Times are stream time: samples fed since creation (or {@link reset}) / 16, in ms. Windows and
 * events come out identically however the audio is chunked. Chunks are processed in order on an
 * internal queue; `push` resolves when its chunk has been analysed.
 */
export class VoiceActivityDetector {
  private options: VadOptions;
  private playbackActive = false;
  private queue: Promise<void> = Promise.resolve();

  private readonly window = new Float32Array(SILERO_WINDOW_SAMPLES);
  private windowFill = 0;
  /** Samples analysed so far (whole windows). */
  private sample = 0;
  /** Recent windows while silent: pre-roll plus an open candidate. */
  private history: { startSample: number; samples: Float32Array }[] = [];
  private candidate: Candidate | null = null;
  private utterance: Utterance | null = null;
  /** The last utterance's speech end: the next pre-roll starts no earlier. */
  private preRollFloor = 0;
  private readonly statistics: VadStats = { windows: 0, totalInferenceMs: 0, maxInferenceMs: 0 };

  private readonly speechStartListeners = new Set<SpeechStartListener>();
  private readonly speechEndListeners = new Set<SpeechEndListener>();
  private readonly windowListeners = new Set<WindowListener>();

  /** A detector on its own Silero stream (the model session itself is shared by the process). */
  static async create(options: Partial<VadOptions> & { modelPath?: string } = {}): Promise<VoiceActivityDetector> {
    const { modelPath, ...vadOptions } = options;
    return new VoiceActivityDetector(await SileroVad.create(modelPath ? { modelPath } : {}), vadOptions);
  }

  constructor(
    private readonly model: SpeechProbabilityModel,
    options: Partial<VadOptions> = {},
  ) {
    this.options = validated({ ...DEFAULT_VAD_OPTIONS, ...options });
  }

  onSpeechStart(listener: SpeechStartListener): () => void {
    this.speechStartListeners.add(listener);
    return () => this.speechStartListeners.delete(listener);
  }

  onSpeechEnd(listener: SpeechEndListener): () => void {
    this.speechEndListeners.add(listener);
    return () => this.speechEndListeners.delete(listener);
  }

  /** Every analysed window: for a level meter, diagnostics and tests. */
  onWindow(listener: WindowListener): () => void {
    this.windowListeners.add(listener);
    return () => this.windowListeners.delete(listener);
  }

  /**
   * Queues a chunk: PCM16 as sent by the console, or float samples in [-1, 1] (NaN and infinities
   * count as 0, values beyond ±1 are clipped). The chunk is copied at once, so the caller may reuse
   * its buffer. Rejects if the model fails on a window or a listener throws, after the whole chunk
   * has been analysed (a failed window decides nothing); later chunks run as usual.
   */
  push(chunk: Int16Array | Float32Array): Promise<void> {
    if (chunk.length === 0) return this.queue;
    const samples = toFloatSamples(chunk);
    return this.enqueue(() => this.analyse(samples));
  }

  /**
   * Ends the utterance in progress, if any (reason 'flush', speech end = the running silence's start
   * or now), once everything queued is analysed. A final partial window is dropped, not padded.
   */
  flush(): Promise<void> {
    return this.enqueue(async () => {
      this.windowFill = 0;
      if (this.utterance) this.endUtterance('flush', this.utterance.silenceStartSample ?? this.sample)();
    });
  }

  /** Forgets the stream after what is queued: model state, buffers, an utterance (without an end event), time back to 0. */
  reset(): Promise<void> {
    return this.enqueue(async () => {
      this.model.reset();
      this.windowFill = 0;
      this.sample = 0;
      this.history = [];
      this.candidate = null;
      this.utterance = null;
      this.preRollFloor = 0;
    });
  }

  /** Echo guard: while the agent is speaking, onsets need a clearer voice (see {@link vadThresholds}). Applies from the next window analysed. */
  setPlaybackActive(active: boolean): void {
    this.playbackActive = active;
  }

  /** Changes options for the windows analysed from now on; e.g. the settings 'voice.vad.silenceMs' and 'voice.vad.sensitivity'. */
  configure(update: Partial<VadOptions>): void {
    this.options = validated({ ...this.options, ...update });
  }

  get currentOptions(): Readonly<VadOptions> {
    return { ...this.options };
  }

  get thresholds(): VadThresholds {
    return vadThresholds(this.options.sensitivity, this.playbackActive);
  }

  get speaking(): boolean {
    return this.utterance !== null;
  }

  /** Stream time analysed so far, ms. */
  get timeMs(): number {
    return this.sample / SAMPLES_PER_MS;
  }

  get stats(): Readonly<VadStats> {
    return { ...this.statistics };
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async analyse(samples: Float32Array): Promise<void> {
    const errors: unknown[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(SILERO_WINDOW_SAMPLES - this.windowFill, samples.length - offset);
      this.window.set(samples.subarray(offset, offset + take), this.windowFill);
      this.windowFill += take;
      offset += take;
      if (this.windowFill < SILERO_WINDOW_SAMPLES) break;
      this.windowFill = 0;
      await this.analyseWindow(errors);
    }
    if (errors.length > 0) throw errors[0];
  }

  /** Scores the full window and advances the state machine; failures are collected, not thrown, so the stream keeps its time. */
  private async analyseWindow(errors: unknown[]): Promise<void> {
    const started = performance.now();
    // A window the model failed on still passes (time, audio) but decides nothing.
    let probability: number | null = null;
    try {
      probability = await this.model.process(this.window);
    } catch (error) {
      errors.push(error);
    }
    const inferenceMs = performance.now() - started;
    this.statistics.windows += 1;
    this.statistics.totalInferenceMs += inferenceMs;
    this.statistics.maxInferenceMs = Math.max(this.statistics.maxInferenceMs, inferenceMs);

    const startSample = this.sample;
    this.sample += SILERO_WINDOW_SAMPLES;
    const samples = this.window.slice();
    const { positive, negative } = this.thresholds;
    const events: (() => void)[] = [];

    if (probability === null) {
      if (this.utterance) this.utterance.windows.push(samples);
      else {
        this.history.push({ startSample, samples });
        this.trimHistory();
      }
      return;
    }

    if (this.utterance) {
      const utterance = this.utterance;
      utterance.windows.push(samples);
      if (probability >= positive) utterance.silenceStartSample = null;
      else if (probability < negative && utterance.silenceStartSample === null) utterance.silenceStartSample = startSample;
      const silence = utterance.silenceStartSample === null ? 0 : this.sample - utterance.silenceStartSample;
      if (silence > 0 && silence >= this.options.silenceMs * SAMPLES_PER_MS) {
        events.push(this.endUtterance('silence', utterance.silenceStartSample ?? this.sample));
      } else if (this.sample - utterance.startSample >= this.options.maxUtteranceMs * SAMPLES_PER_MS) {
        events.push(this.endUtterance('max-length', utterance.silenceStartSample ?? this.sample));
      }
    } else {
      this.history.push({ startSample, samples });
      if (probability >= positive) {
        this.candidate ??= { startSample, speechWindows: 0 };
        this.candidate.speechWindows += 1;
      } else if (probability < negative) {
        this.candidate = null;
      }
      const minSpeechMs = this.playbackActive ? this.options.bargeInMinSpeechMs : this.options.minSpeechMs;
      if (this.candidate && this.candidate.speechWindows * WINDOW_MS >= minSpeechMs) {
        events.push(this.startUtterance(this.candidate.startSample));
      } else {
        this.trimHistory();
      }
    }

    for (const emit of [() => this.emitWindow({ atMs: startSample / SAMPLES_PER_MS, probability, speaking: this.speaking, inferenceMs }), ...events]) {
      try {
        emit();
      } catch (error) {
        errors.push(error);
      }
    }
  }

  private startUtterance(startSample: number): () => void {
    // Pre-roll, but never audio that already went out with the previous utterance's speech.
    const audioStartSample = Math.max(this.preRollFloor, startSample - this.options.preRollMs * SAMPLES_PER_MS);
    const windows = this.history.filter((w) => w.startSample + SILERO_WINDOW_SAMPLES > audioStartSample);
    const firstWindowSample = windows[0]?.startSample ?? startSample;
    this.utterance = {
      startSample,
      silenceStartSample: null,
      windows: windows.map((w) => w.samples),
      firstWindowSample,
      audioStartSample: Math.floor(Math.max(firstWindowSample, audioStartSample)),
    };
    this.history = [];
    this.candidate = null;
    const atMs = startSample / SAMPLES_PER_MS;
    return () => this.speechStartListeners.forEach((listener) => listener(atMs));
  }

  /** Ends the utterance now; returns the event to emit once the window's bookkeeping is done. */
  private endUtterance(reason: SpeechEndInfo['reason'], endSample: number): () => void {
    const utterance = this.utterance;
    if (!utterance) return () => undefined;
    this.utterance = null;
    this.candidate = null;
    // The utterance's trailing silence can be the next one's pre-roll; its speech cannot.
    this.preRollFloor = endSample;
    this.history = utterance.windows.map((samples, i) => ({ startSample: utterance.firstWindowSample + i * SILERO_WINDOW_SAMPLES, samples }));
    this.trimHistory();

    const audioStart = utterance.audioStartSample;
    const audioEnd = Math.min(this.sample, Math.ceil(endSample + this.options.postRollMs * SAMPLES_PER_MS));
    const audio = concat(utterance.windows).slice(audioStart - utterance.firstWindowSample, audioEnd - utterance.firstWindowSample);
    const info: SpeechEndInfo = {
      startMs: utterance.startSample / SAMPLES_PER_MS,
      endMs: endSample / SAMPLES_PER_MS,
      durationMs: (endSample - utterance.startSample) / SAMPLES_PER_MS,
      reason,
      audio,
      audioStartMs: audioStart / SAMPLES_PER_MS,
      audioEndMs: audioEnd / SAMPLES_PER_MS,
    };
    const atMs = this.sample / SAMPLES_PER_MS;
    return () => this.speechEndListeners.forEach((listener) => listener(atMs, info));
  }

  /** Keeps the pre-roll before the open candidate (or before now, without one). */
  private trimHistory(): void {
    const keepFrom = (this.candidate?.startSample ?? this.sample) - this.options.preRollMs * SAMPLES_PER_MS;
    while (this.history.length > 0 && this.history[0]!.startSample + SILERO_WINDOW_SAMPLES <= keepFrom) this.history.shift();
  }

  private emitWindow(info: VadWindowInfo): void {
    this.windowListeners.forEach((listener) => listener(info));
  }
}

function validated(options: VadOptions): VadOptions {
  const { silenceMs, sensitivity, minSpeechMs, bargeInMinSpeechMs, preRollMs, postRollMs, maxUtteranceMs } = options;
  for (const [name, value] of Object.entries({ silenceMs, minSpeechMs, bargeInMinSpeechMs, preRollMs, postRollMs, maxUtteranceMs })) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`VAD option ${name} must be a finite number ≥ 0, got ${value}`);
  }
  if (!Number.isFinite(sensitivity) || sensitivity < 0 || sensitivity > 1) throw new RangeError(`VAD sensitivity must be within 0..1, got ${sensitivity}`);
  return { silenceMs, sensitivity, minSpeechMs, bargeInMinSpeechMs, preRollMs, postRollMs, maxUtteranceMs };
}

function toFloatSamples(chunk: Int16Array | Float32Array): Float32Array {
  if (chunk instanceof Int16Array) return pcm16ToFloat(chunk);
  const out = new Float32Array(chunk.length);
  for (let i = 0; i < chunk.length; i++) {
    const v = chunk[i]!;
    out[i] = Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
  }
  return out;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
