import type OpenAI from 'openai';
import { ParleyError } from '#protocol';
import { floatToPcm16, pcm16FromBytes } from '#audio';
import { loadOpenAiSdk, loadedOpenAiSdk } from '../../platform/openai-compat';
import { decodeAudioFile } from '../audio';
import { checkSpeed, checkVolume, throwIfAborted, withVolume } from './synthesis-options';
import type { SynthesisOptions, SynthesizedSpeech, TextToSpeechEngine, Voice } from './text-to-speech-engine';

/** OpenAI's voices; other servers (Kokoro-FastAPI, openedai-speech, LocalAI) take their own names. */
export const OPENAI_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];

export interface RemoteSpeechEngineOptions {
  /** An SDK client for the provider (from the agent's provider records), or a base URL and key. */
  client?: OpenAI;
  baseURL?: string;
  apiKey?: string;
  model: string;
  /** What voices() lists: the API has no endpoint for it. */
  voices?: string[];
  defaultVoice?: string;
  /**
   * `wav` (the default) says its own rate; `pcm` is headerless 16-bit little-endian mono at
   * {@link pcmSampleRate} and saves the server a header, nothing else.
   */
  responseFormat?: 'wav' | 'pcm';
  /** OpenAI's raw PCM is 24 kHz. */
  pcmSampleRate?: number;
  timeoutMs?: number;
}

/** Any OpenAI-compatible `POST /v1/audio/speech`, through the `openai` SDK. */
export class RemoteSpeechEngine implements TextToSpeechEngine {
  readonly id = 'remote';
  private client: Promise<OpenAI> | undefined;

  constructor(private readonly options: RemoteSpeechEngineOptions) {}

  private sdkClient(): Promise<OpenAI> {
    const { client, baseURL, apiKey, timeoutMs } = this.options;
    return (this.client ??= client
      ? Promise.resolve(client)
      : loadOpenAiSdk().then(({ default: OpenAI }) => new OpenAI({ baseURL, apiKey: apiKey ?? 'not-needed', timeout: timeoutMs ?? 30_000, maxRetries: 1 })));
  }

  async voices(): Promise<Voice[]> {
    return (this.options.voices ?? OPENAI_VOICES).map((id) => ({ id, name: id }));
  }

  async synthesize(text: string, options: SynthesisOptions = {}): Promise<SynthesizedSpeech> {
    const speed = checkSpeed(options.speed);
    const volume = checkVolume(options.volume);
    throwIfAborted(options.signal);
    const format = this.options.responseFormat ?? 'wav';
    const voice = options.voice ?? this.options.defaultVoice ?? this.options.voices?.[0] ?? 'alloy';
    let bytes: Uint8Array;
    try {
      const client = await this.sdkClient();
      const response = await client.audio.speech.create(
        { model: this.options.model, voice, input: text, response_format: format, ...(speed !== 1 ? { speed } : {}) },
        { signal: options.signal },
      );
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw describeFailure(error, options.signal);
    }
    return withVolume(await this.decode(bytes, format), volume);
  }

  private async decode(bytes: Uint8Array, format: 'wav' | 'pcm'): Promise<SynthesizedSpeech> {
    if (format === 'pcm') {
      if (bytes.length % 2 !== 0) throw new ParleyError('unavailable', `The speech server sent ${bytes.length} bytes of PCM16, an odd number`);
      return { pcm: pcm16FromBytes(bytes), sampleRate: this.options.pcmSampleRate ?? 24_000 };
    }
    const audio = await decodeAudioFile(bytes);
    return { pcm: floatToPcm16(audio.samples), sampleRate: audio.sampleRate };
  }
}

function describeFailure(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason ?? error;
  const OpenAI = loadedOpenAiSdk()?.default;
  if (!OpenAI) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new ParleyError('timeout', 'The speech server did not answer in time', { cause: error });
  if (error instanceof OpenAI.APIConnectionError) return new ParleyError('unavailable', `Cannot reach the speech server: ${error.message}`, { cause: error });
  if (error instanceof OpenAI.APIError) {
    const hint = error.status === 401 || error.status === 403 ? 'Check the API key of the speech provider.' : error.status === 404 ? 'Check the model name and the base URL (it usually ends in /v1).' : undefined;
    return new ParleyError('unavailable', `The speech server answered ${error.status ?? 'an error'}: ${error.message}`, { cause: error, ...(hint ? { hint } : {}) });
  }
  return error;
}
