import type { TranscribeResult, WhisperContext } from '@fugood/whisper.node';
import { ParleyError } from '#protocol';
import { NativeWhisperLifecycle, type AbandonedJobEnd, type NativeJob } from './native-whisper-lifecycle';
import { floatToPcm16 } from '#audio';
import { settleWithin, type SettleLimits } from './settle-within';
import type { SpeechToTextCapabilities, SpeechToTextEngine, TranscribeOptions, Transcript } from './speech-to-text-engine';
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

type TranscribeJob = ReturnType<WhisperContext['transcribeData']>;

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
 *   one to finish (see stopAndDrain).
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
  private readonly lifecycle: NativeWhisperLifecycle<LoadedModel>;

  constructor(private readonly options: InProcessWhisperOptions) {
    this.lifecycle = new NativeWhisperLifecycle(options, {
      loadModel: () => this.loadModel(),
      freeModel: releaseModel,
      discardStuckModel: (model) => void releaseModel(model).catch(() => undefined),
    });
  }

  load(): Promise<void> {
    return this.lifecycle.load();
  }

  async transcribe(pcm: Float32Array, options: TranscribeOptions = {}): Promise<Transcript> {
    return this.lifecycle.transcribe<TranscribeResult>(pcm, options.signal, (model) => {
      const language = whisperLanguage(options.language, model.header);
      return {
        start: () => this.startJob(model, pcm, language, options.onPartial),
        toTranscript: (result, timings) => toTranscript(result, model.header.multilingual ? result.language : 'en', timings),
      };
    });
  }

  unload(): Promise<void> {
    return this.lifecycle.unload();
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

  private startJob(model: LoadedModel, pcm: Float32Array, language: string, onPartial: ((text: string) => void) | undefined): NativeJob<TranscribeResult> {
    let textSoFar = '';
    let job: TranscribeJob;
    try {
      job = model.context.transcribeData(floatToPcm16(pcm).buffer as ArrayBuffer, {
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
    return { result: job.promise, abandon: (limits) => stopAndDrain(job, model, limits) };
  }
}

/**
 * stop() does not stop whisper.cpp, and a stopped job's promise never settles: its end shows when
 * a 100 ms job queued behind it on the binding's lock answers, as it does once the lock is free.
 */
async function stopAndDrain(job: TranscribeJob, model: LoadedModel, limits: SettleLimits): Promise<AbandonedJobEnd> {
  void job.stop();
  try {
    const drain = model.context.transcribeData(new Int16Array(DRAIN_SAMPLES).buffer, { language: 'en' });
    await settleWithin(drain.promise, limits);
    return 'ended';
  } catch {
    return 'stuck';
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
