import type { TranscribeResult, WhisperContext } from '@fugood/whisper.node';
import { ParleyError } from '#protocol';
import { ExclusiveLane } from './exclusive-lane';
import { toInt16 } from './pcm-encoding';
import { isCancelledOrTimedOut, settleWithin, type SettleLimits } from './settle-within';
import type { SpeechToTextCapabilities, SpeechToTextEngine, TranscribeOptions, Transcript } from './speech-to-text-engine';
import { DEFAULT_MAX_AUDIO_SECONDS, inspectUtterance } from './utterance-audio';
import { whisperLanguage } from './whisper-languages';
import { readWhisperModelHeader, type WhisperModelHeader } from './whisper-model-header';
import { captureWhisperLogs, recentWhisperErrors, type WhisperLogSink } from './whisper-native-log';

export interface InProcessWhisperOptions {
  /** A whisper.cpp ggml model (ggml-base.en.bin...). */
  modelPath: string;
  /** Default: the binding's, min(8, cores). */
  threads?: number;
  /** Default: the binding's (Metal on macOS; the Linux and Windows CPU builds have no GPU). */
  useGpu?: boolean;
  /** Each transcribe() call, from call to result. Default 60 s. */
  timeoutMs?: number;
  maxAudioSeconds?: number;
  /** Whisper re-decodes doubtful audio at rising temperatures: better text, slower. Default on. */
  temperatureFallback?: boolean;
  /** whisper.cpp's own log lines (they are not printed). */
  onNativeLog?: WhisperLogSink;
}

interface LoadedModel {
  context: WhisperContext;
  header: WhisperModelHeader;
  releaseLogs(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** 100 ms of silence: whisper.cpp answers it at once ("input is too short") once the lock is free. */
const DRAIN_SAMPLES = 1600;

/**
 * whisper.cpp in this process through @fugood/whisper.node. The model stays loaded between
 * utterances; inference runs on a libuv threadpool thread (the binding's AsyncWorker), so the event
 * loop keeps turning. Loading, though, runs on the calling thread: the binding's constructor reads
 * the whole file synchronously (~0.1 s for tiny, seconds for the larger models).
 *
 * The binding's limits, and what this class does about them:
 * - stop() only raises a flag that whisper.cpp never reads (no abort_callback): the computation
 *   runs to its end. Cancelling rejects the caller at once; the next job waits for the abandoned
 *   one to finish (see releaseAfterDrain).
 * - A stopped or failed job's promise never settles (its AsyncWorker error path calls back with one
 *   argument, the JS side only settles on two). Hence the deadline on every call, and the drain
 *   job that tells when the native thread is free again.
 * - It has no audio_ctx option for whisper (only for Parakeet): every utterance pays for a 30 s
 *   window, so capabilities.audioContext is false.
 * - Its prebuilt linux-x64 binary is plain x86-64 (no AVX/FMA/F16C) and computes on one core
 *   whatever maxThreads says: ~12 s for tiny.en's 30 s window on this kind of machine, against
 *   ~1 s for whisper.cpp's CLI built for the CPU (tests/bench/stt.bench.ts).
 */
export class InProcessWhisperEngine implements SpeechToTextEngine {
  readonly id = 'whisper-in-process';
  readonly capabilities: SpeechToTextCapabilities = { audioContext: false, abortsComputation: false, keepsModelLoaded: true };
  private readonly lane = new ExclusiveLane();
  private model: LoadedModel | undefined;
  private loading: Promise<LoadedModel> | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly options: InProcessWhisperOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async load(): Promise<void> {
    await this.loadedModel();
  }

  async transcribe(pcm: Float32Array, options: TranscribeOptions = {}): Promise<Transcript> {
    const started = performance.now();
    const limits: SettleLimits = { signal: options.signal, deadline: started + this.timeoutMs, budgetMs: this.timeoutMs, what: 'the transcription' };
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
      const language = whisperLanguage(options.language, model.header);
      const inferenceStarted = performance.now();
      const job = this.startJob(model, pcm, language, options.onPartial);
      try {
        const result = await settleWithin(job.promise, limits);
        const inferenceMs = performance.now() - inferenceStarted;
        return toTranscript(result, model.header.multilingual ? result.language : 'en', { loadMs, inferenceMs, totalMs: performance.now() - started });
      } catch (error) {
        if (!isCancelledOrTimedOut(error)) throw error;
        void job.stop();
        releaseLater = true;
        this.releaseAfterDrain(model, release);
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
      if (model) await releaseModel(model);
    } finally {
      release();
    }
  }

  private loadedModel(): Promise<LoadedModel> {
    if (this.model) return Promise.resolve(this.model);
    this.loading ??= this.loadModel().then(
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

  private async loadModel(): Promise<LoadedModel> {
    const header = await readWhisperModelHeader(this.options.modelPath);
    const binding = await import('@fugood/whisper.node');
    const releaseLogs = await captureWhisperLogs(binding, this.options.onNativeLog);
    try {
      const context = await binding.initWhisper({ filePath: this.options.modelPath, useGpu: this.options.useGpu });
      return { context, header, releaseLogs };
    } catch (error) {
      const nativeErrors = recentWhisperErrors();
      await releaseLogs();
      throw new ParleyError('unavailable', `whisper.cpp could not load ${this.options.modelPath}`, {
        hint: 'The file may be damaged or from an incompatible whisper.cpp version; download the model again.',
        details: { nativeErrors },
        cause: error,
      });
    }
  }

  private startJob(model: LoadedModel, pcm: Float32Array, language: string, onPartial: ((text: string) => void) | undefined) {
    let textSoFar = '';
    try {
      return model.context.transcribeData(toInt16(pcm).buffer as ArrayBuffer, {
        language,
        maxThreads: this.options.threads,
        temperature: 0,
        temperatureInc: this.options.temperatureFallback === false ? 0 : 0.2,
        onNewSegments: onPartial
          ? (segments) => {
              textSoFar += segments.result;
              onPartial(textSoFar.trim());
            }
          : undefined,
      });
    } catch (error) {
      throw new ParleyError('internal', 'whisper.cpp refused the transcription', { cause: error });
    }
  }

  /**
   * The lane stays taken until the abandoned job has really finished: a 100 ms job queued behind it
   * on the binding's lock answers as soon as the lock is free. If even that does not answer in
   * time, the context is given up (its thread is stuck) and the next call loads a fresh one.
   */
  private releaseAfterDrain(model: LoadedModel, release: () => void): void {
    const drained = (async () => {
      const drain = model.context.transcribeData(new Int16Array(DRAIN_SAMPLES).buffer, { language: 'en' });
      await settleWithin(drain.promise, { deadline: performance.now() + this.timeoutMs, budgetMs: this.timeoutMs, what: 'the abandoned transcription' });
    })();
    drained.then(release, () => {
      if (this.model === model) this.model = undefined;
      this.loading = undefined;
      void releaseModel(model).catch(() => undefined);
      release();
    });
  }
}

async function releaseModel(model: LoadedModel): Promise<void> {
  try {
    await model.context.release();
  } finally {
    await model.releaseLogs();
  }
}

function toTranscript(result: TranscribeResult, language: string | undefined, timings: Transcript['timings']): Transcript {
  return {
    text: result.result.trim(),
    language: language || undefined,
    segments: result.segments.map((segment) => ({ startMs: segment.t0, endMs: segment.t1, text: segment.text.trim() })),
    timings,
  };
}
