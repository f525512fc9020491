import { CAPTURE_SAMPLE_RATE, ParleyError } from '#protocol';
import { audioContextFor } from './audio-context';
import { NativeWhisperLifecycle, type AbandonedJobEnd, type NativeJob } from './native-whisper-lifecycle';
import { settleWithin, type SettleLimits } from './settle-within';
import { loadSmartWhisperAddon, smartWhisperAddonPath, type SmartWhisperAddon, type SmartWhisperModel, type SmartWhisperParams, type SmartWhisperSegment } from './smart-whisper-addon';
import type { SpeechToTextCapabilities, SpeechToTextEngine, TranscribeOptions, Transcript, TranscriptSegment } from './speech-to-text-engine';
import { joinSegments } from './whisper-cli-output';
import { whisperLanguage } from './whisper-languages';
import { checkModelInChildProcess } from './whisper-model-check';
import { readWhisperModelHeader, type WhisperModelHeader } from './whisper-model-header';

export interface SmartWhisperOptions {
  /** A whisper.cpp ggml model (ggml-base.en.bin...). */
  modelPath: string;
  /** Default: whisper.cpp's, min(4, cores). */
  threads?: number;
  /** Default on: Metal on Apple silicon; the Linux and Windows builds are CPU-only either way. */
  useGpu?: boolean;
  /** Each transcribe() call, from call to result, loading included. Default 60 s. */
  timeoutMs?: number;
  maxAudioSeconds?: number;
  /** Whisper re-decodes doubtful audio at rising temperatures: better text, slower. Default on. */
  temperatureFallback?: boolean;
  /** 1 (the default) is greedy decoding, as the other in-process engine does; more is a beam search. */
  beamSize?: number;
  /**
   * Skips loading the model in a child process first (see whisper-model-check.ts). Only for a file
   * known to be whole and valid, such as a catalogue download whose sha256 was verified.
   */
  trustedModel?: boolean;
}

interface LoadedModel {
  addon: SmartWhisperAddon;
  model: SmartWhisperModel;
  header: WhisperModelHeader;
}

/**
 * The whisper.cpp in smart-whisper returns nothing for under a second of audio ("input is too
 * short ... consider padding the input audio with silence"), and "yes" or "stop" are shorter than
 * that. So shorter utterances get trailing silence, to 1.05 s: the mel front end loses a few
 * frames at the edges, and 1.0 s exactly still falls short.
 */
const MIN_WHISPER_SAMPLES = Math.round(1.05 * CAPTURE_SAMPLE_RATE);
const GREEDY = 0;
const BEAM_SEARCH = 1;

/**
 * whisper.cpp in this process through smart-whisper, compiled from source on install. The model
 * stays loaded between utterances; loading and inference both run on libuv threadpool threads, so
 * the event loop keeps turning. Built with AVX2/FMA/F16C (see smart-whisper-addon.ts) it computes
 * as fast as whisper.cpp's CLI on all threads, and it takes audio_ctx, so a short utterance pays
 * for a short encoder window only: what puts a 3 s utterance well under 500 ms on tiny.en.
 *
 * The binding's limits, and what this class does about them:
 * - No abort_callback: a cancelled or timed-out job computes to its end. The caller is rejected at
 *   once; the next job waits for the abandoned one (it does finish, bounded by audio_ctx), and a
 *   job that never finishes gets its context abandoned, not freed: a native thread still uses it.
 * - whisper_init on a file it cannot load crashes the process, hence the child-process check.
 * - Its whisper_context_params are not initialised apart from use_gpu (flash_attn and dtw get
 *   whatever the stack held; 0 in every load seen here). The child-process check loads through the
 *   same code, so a load that went wrong that way would show there first.
 * - whisper.cpp 1.6 ignores audio under 1 s: shorter utterances are padded with silence.
 * - Each job allocates its own whisper_state (~100 MB of buffers for tiny, freed after), so the
 *   context could serve jobs in parallel; the lane runs one at a time, as two would only share
 *   the same cores.
 */
export class SmartWhisperEngine implements SpeechToTextEngine {
  readonly id = 'whisper-smart';
  readonly capabilities: SpeechToTextCapabilities = { audioContext: true, abortsComputation: false, keepsModelLoaded: true };
  private readonly lifecycle: NativeWhisperLifecycle<LoadedModel>;

  constructor(private readonly options: SmartWhisperOptions) {
    this.lifecycle = new NativeWhisperLifecycle(options, {
      loadModel: () => this.loadModel(),
      freeModel: (loaded) => loaded.model.free(),
      // Not freed: a native thread may still be using it.
      discardStuckModel: () => undefined,
    });
  }

  load(): Promise<void> {
    return this.lifecycle.load();
  }

  async transcribe(pcm: Float32Array, options: TranscribeOptions = {}): Promise<Transcript> {
    return this.lifecycle.transcribe<SmartWhisperSegment[]>(pcm, options.signal, (loaded) => {
      const language = whisperLanguage(options.language, loaded.header);
      const audio = padToMinimum(pcm);
      const audioContext = (options.audioContext ?? 'auto') === 'auto' ? audioContextFor(audio.length, loaded.header.nAudioCtx) : undefined;
      const shrunkContext = audioContext !== undefined && audioContext < loaded.header.nAudioCtx ? audioContext : undefined;
      return {
        start: () => this.startJob(loaded, audio, { language, audioContext: shrunkContext, onPartial: options.onPartial }),
        toTranscript: (segments, timings) => {
          const detected = language === 'auto' ? segments.find((segment) => segment.lang)?.lang : language;
          return {
            text: joinSegments(segments.map((segment) => toSegment(segment, pcm.length))),
            language: loaded.header.multilingual ? detected : 'en',
            segments: segments.map((segment) => ({ ...toSegment(segment, pcm.length), text: segment.text.trim() })),
            timings,
            audioContext: shrunkContext,
          };
        },
      };
    });
  }

  unload(): Promise<void> {
    return this.lifecycle.unload();
  }

  private async loadModel(): Promise<LoadedModel> {
    const { modelPath } = this.options;
    const useGpu = this.options.useGpu ?? true;
    const header = await readWhisperModelHeader(modelPath);
    const addon = loadSmartWhisperAddon();
    if (!this.options.trustedModel) {
      await checkModelInChildProcess({ addonPath: smartWhisperAddonPath(), modelPath, useGpu, modelAudioContext: header.nAudioCtx, timeoutMs: this.lifecycle.timeoutMs });
    }
    try {
      const model = await addon.WhisperModel.load(modelPath, useGpu);
      return { addon, model, header };
    } catch (error) {
      throw new ParleyError('unavailable', `whisper.cpp could not load ${modelPath}`, {
        hint: 'The file may be damaged or from an incompatible whisper.cpp version; download the model again.',
        cause: error,
      });
    }
  }

  private startJob(loaded: LoadedModel, pcm: Float32Array, job: { language: string; audioContext: number | undefined; onPartial: ((text: string) => void) | undefined }): NativeJob<SmartWhisperSegment[]> {
    const params: SmartWhisperParams = {
      strategy: (this.options.beamSize ?? 1) > 1 ? BEAM_SEARCH : GREEDY,
      language: job.language,
      temperature: 0,
      temperature_inc: this.options.temperatureFallback === false ? 0 : 0.2,
      // 'detail' is what reports the detected language.
      format: 'detail',
    };
    if (this.options.threads !== undefined) params.n_threads = this.options.threads;
    if (this.options.beamSize !== undefined && this.options.beamSize > 1) params.beam_size = this.options.beamSize;
    if (job.audioContext !== undefined) params.audio_ctx = job.audioContext;

    const handle = loaded.model.handle;
    if (handle === null) throw new ParleyError('internal', 'The whisper.cpp model was freed while in use');
    let abandoned = false;
    const partial: TranscriptSegment[] = [];
    const finished = new Promise<SmartWhisperSegment[]>((resolve, reject) => {
      try {
        loaded.addon.transcribe(
          handle,
          pcm,
          params,
          (result) => (result instanceof Error ? reject(new ParleyError('internal', 'whisper.cpp failed to transcribe', { cause: result })) : resolve(result)),
          (segment) => {
            if (abandoned || !job.onPartial) return;
            partial.push(toSegment(segment, pcm.length));
            job.onPartial(joinSegments(partial));
          },
        );
      } catch (error) {
        reject(new ParleyError('internal', 'whisper.cpp refused the transcription', { cause: error }));
      }
    });
    return {
      result: finished,
      abandon: (limits) => {
        abandoned = true;
        return endOfAbandonedJob(finished, limits);
      },
    };
  }
}

/** A job that failed has ended too; only one still computing past the deadline is stuck. */
async function endOfAbandonedJob(finished: Promise<unknown>, limits: SettleLimits): Promise<AbandonedJobEnd> {
  try {
    await settleWithin(finished, limits);
    return 'ended';
  } catch (error) {
    return error instanceof ParleyError && error.code === 'timeout' ? 'stuck' : 'ended';
  }
}

function padToMinimum(pcm: Float32Array): Float32Array {
  if (pcm.length >= MIN_WHISPER_SAMPLES) return pcm;
  const padded = new Float32Array(MIN_WHISPER_SAMPLES);
  padded.set(pcm);
  return padded;
}

/**
 * whisper.cpp reports a segment without timestamps as lasting to the end of its 30 s window; past
 * the utterance's end that is meaningless, so the end is capped at the audio's length.
 */
function toSegment(segment: SmartWhisperSegment, sampleCount: number): TranscriptSegment {
  const audioMs = Math.round((sampleCount / CAPTURE_SAMPLE_RATE) * 1000);
  return { startMs: segment.from, endMs: Math.min(segment.to, audioMs), text: segment.text };
}
