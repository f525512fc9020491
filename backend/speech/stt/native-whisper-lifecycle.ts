import { ExclusiveLane } from './exclusive-lane';
import { isCancelledOrTimedOut, settleWithin, type SettleLimits } from './settle-within';
import type { Transcript, TranscriptTimings } from './speech-to-text-engine';
import { DEFAULT_MAX_AUDIO_SECONDS, inspectUtterance } from './utterance-audio';

export interface NativeWhisperLimits {
  /** Each transcribe() call, from call to result. Default 60 s. */
  timeoutMs?: number;
  maxAudioSeconds?: number;
}

export interface NativeWhisperBinding<Model> {
  loadModel(): Promise<Model>;
  freeModel(model: Model): Promise<void>;
  /** A model whose abandoned job never ended, so its native thread may still be using it. */
  discardStuckModel(model: Model): void;
}

/** 'stuck': the computation had not ended by the deadline, so its context cannot be used again. */
export type AbandonedJobEnd = 'ended' | 'stuck';

export interface NativeJob<Result> {
  /** May never settle: a binding can drop a stopped or failed job's callback. */
  result: Promise<Result>;
  /**
   * Called once the caller has stopped waiting (cancelled or timed out). The binding cannot abort
   * the computation, so this tells when it has really ended, within `limits`.
   */
  abandon(limits: SettleLimits): Promise<AbandonedJobEnd>;
}

/** One utterance, prepared for a loaded model before the inference clock starts. */
export interface NativeTranscription<Result> {
  start(): NativeJob<Result>;
  toTranscript(result: Result, timings: TranscriptTimings): Transcript;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * What whisper.cpp engines running in this process share: a model loaded once and kept, one job
 * at a time, and jobs that outlive a caller who gave up on them. Which binding loads, runs and
 * frees the model is the engine's part.
 */
export class NativeWhisperLifecycle<Model> {
  readonly timeoutMs: number;
  private readonly lane = new ExclusiveLane();
  private model: Model | undefined;
  private loading: Promise<Model> | undefined;

  constructor(
    private readonly options: NativeWhisperLimits,
    private readonly binding: NativeWhisperBinding<Model>,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async load(): Promise<void> {
    await this.loadedModel();
  }

  async transcribe<Result>(pcm: Float32Array, signal: AbortSignal | undefined, prepare: (model: Model) => NativeTranscription<Result>): Promise<Transcript> {
    const started = performance.now();
    const limits: SettleLimits = { signal, deadline: started + this.timeoutMs, budgetMs: this.timeoutMs, what: 'the transcription' };
    if (inspectUtterance(pcm, this.options.maxAudioSeconds ?? DEFAULT_MAX_AUDIO_SECONDS) === 'nothing-to-hear') {
      return { text: '', segments: [], timings: { inferenceMs: 0, totalMs: performance.now() - started } };
    }
    const release = await this.lane.acquire(limits);
    let releaseLater = false;
    try {
      const loadStarted = performance.now();
      const wasLoaded = this.model !== undefined;
      const model = await settleWithin(this.loadedModel(), limits);
      const loadMs = wasLoaded ? undefined : performance.now() - loadStarted;
      const transcription = prepare(model);
      const inferenceStarted = performance.now();
      const job = transcription.start();
      try {
        const result = await settleWithin(job.result, limits);
        const inferenceMs = performance.now() - inferenceStarted;
        return transcription.toTranscript(result, { loadMs, inferenceMs, totalMs: performance.now() - started });
      } catch (error) {
        if (!isCancelledOrTimedOut(error)) throw error;
        releaseLater = true;
        this.releaseWhenEnded(job, model, release);
        throw error;
      }
    } finally {
      if (!releaseLater) release();
    }
  }

  async unload(): Promise<void> {
    const release = await this.lane.acquire({ deadline: performance.now() + this.timeoutMs, budgetMs: this.timeoutMs, what: 'the running transcription before unloading' });
    try {
      const model = this.model ?? (await this.loading?.catch(() => undefined));
      this.model = undefined;
      this.loading = undefined;
      if (model) await this.binding.freeModel(model);
    } finally {
      release();
    }
  }

  private loadedModel(): Promise<Model> {
    if (this.model) return Promise.resolve(this.model);
    this.loading ??= this.binding.loadModel().then(
      (model) => {
        this.model = model;
        return model;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }

  /**
   * The lane stays taken until the abandoned job has ended, so the next one neither waits on the
   * binding's lock nor shares the cores with it. A stuck job's model is given up: the next call
   * loads a fresh one.
   */
  private releaseWhenEnded(job: NativeJob<unknown>, model: Model, release: () => void): void {
    const limits: SettleLimits = { deadline: performance.now() + this.timeoutMs, budgetMs: this.timeoutMs, what: 'the abandoned transcription' };
    void job
      .abandon(limits)
      .catch((): AbandonedJobEnd => 'stuck')
      .then((end) => {
        if (end === 'stuck') {
          if (this.model === model) {
            this.model = undefined;
            this.loading = undefined;
          }
          this.binding.discardStuckModel(model);
        }
        release();
      });
  }
}
