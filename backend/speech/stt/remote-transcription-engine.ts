import type OpenAI from 'openai';
import { CAPTURE_SAMPLE_RATE, ParleyError } from '#protocol';
import { encodeWav, toPcm16Audio } from '#audio';
import { loadOpenAiSdk, loadedOpenAiSdk } from '../../platform/openai-compat';
import { cancelledError, settleWithin } from './settle-within';
import type { SpeechToTextCapabilities, SpeechToTextEngine, TranscribeOptions, Transcript } from './speech-to-text-engine';
import { DEFAULT_MAX_AUDIO_SECONDS, inspectUtterance } from './utterance-audio';

export interface RemoteTranscriptionOptions {
  /** An OpenAI-compatible API root, e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1. */
  baseUrl: string;
  apiKey?: string;
  /** Sent with every request (a proxy's or gateway's own headers). */
  headers?: Record<string, string>;
  /** 'whisper-1', 'gpt-4o-mini-transcribe', or whatever the server calls its model. */
  model: string;
  /** Each transcribe() call. Default 30 s. */
  timeoutMs?: number;
  maxRetries?: number;
  maxAudioSeconds?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Any server that speaks OpenAI's POST /v1/audio/transcriptions (OpenAI, Groq, whisper.cpp's
 * server, faster-whisper servers...), through the official SDK: the utterance goes up as a 16 kHz
 * mono WAV in a multipart form, the text comes back as JSON. Cancelling aborts the request.
 */
export class RemoteTranscriptionEngine implements SpeechToTextEngine {
  readonly id = 'remote';
  readonly capabilities: SpeechToTextCapabilities = { audioContext: false, abortsComputation: true, keepsModelLoaded: true };
  private client: Promise<OpenAI> | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly options: RemoteTranscriptionOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private sdkClient(): Promise<OpenAI> {
    const { options } = this;
    return (this.client ??= loadOpenAiSdk().then(
      ({ default: OpenAI }) =>
        new OpenAI({
          baseURL: options.baseUrl,
          // Local servers ignore the key, but the SDK insists on one.
          apiKey: options.apiKey || 'no-key',
          timeout: this.timeoutMs,
          maxRetries: options.maxRetries ?? 0,
          defaultHeaders: options.headers,
        }),
    ));
  }

  async load(): Promise<void> {
    await this.sdkClient();
  }

  async transcribe(pcm: Float32Array, options: TranscribeOptions = {}): Promise<Transcript> {
    const started = performance.now();
    if (inspectUtterance(pcm, this.options.maxAudioSeconds ?? DEFAULT_MAX_AUDIO_SECONDS) === 'nothing-to-hear') {
      return { text: '', segments: [], timings: { inferenceMs: 0, totalMs: performance.now() - started } };
    }
    const language = options.language && options.language !== 'auto' ? options.language : undefined;
    const client = await this.sdkClient();
    const { toFile } = await loadOpenAiSdk();
    const file = await toFile(encodeWav(toPcm16Audio({ samples: pcm, sampleRate: CAPTURE_SAMPLE_RATE })), 'utterance.wav', { type: 'audio/wav' });
    const request = client.audio.transcriptions.create(
      { file, model: this.options.model, language, response_format: 'json' },
      { signal: options.signal },
    );
    try {
      // The SDK's own timeout covers the request; this one also covers a server that never answers a cancel.
      const response = await settleWithin(request, { signal: options.signal, deadline: started + this.timeoutMs, budgetMs: this.timeoutMs, what: 'the transcription' });
      const inferenceMs = performance.now() - started;
      return { text: response.text.trim(), language, segments: [], timings: { inferenceMs, totalMs: inferenceMs } };
    } catch (error) {
      throw toParleyError(error, this.options, options.signal);
    }
  }

  async unload(): Promise<void> {}
}

function toParleyError(error: unknown, options: RemoteTranscriptionOptions, signal: AbortSignal | undefined): ParleyError {
  if (error instanceof ParleyError) return error;
  const OpenAI = loadedOpenAiSdk()?.default;
  if (signal?.aborted || (OpenAI && error instanceof OpenAI.APIUserAbortError)) return cancelledError('the transcription');
  if (!OpenAI) return new ParleyError('internal', `Transcription through the server at ${options.baseUrl} failed`, { cause: error });
  const where = `the transcription server at ${options.baseUrl}`;
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new ParleyError('timeout', `No answer from ${where}`, { cause: error });
  if (error instanceof OpenAI.APIConnectionError) {
    return new ParleyError('unavailable', `Cannot reach ${where}`, { hint: 'Check the address and that the server is running.', cause: error });
  }
  if (error instanceof OpenAI.APIError) {
    const hint =
      error.status === 401 || error.status === 403
        ? 'Check the API key.'
        : error.status === 404
          ? `Check the address and that the server has the model '${options.model}'.`
          : undefined;
    return new ParleyError('unavailable', `${where} answered ${error.status ?? 'an error'}: ${error.message}`, { hint, details: { status: error.status }, cause: error });
  }
  return new ParleyError('internal', `Transcription through ${where} failed`, { cause: error });
}
