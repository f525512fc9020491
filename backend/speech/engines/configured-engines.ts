import { createHash } from 'node:crypto';
import { MISSING_SPEECH_MODEL, ParleyError, type ModelRef, type Settings } from '#protocol';
import type { Logger } from '../../platform/observability';
import { loadOpenAiSdk } from '../../platform/openai-compat';
import type { SettingsRepository } from '../../store';
import type { InstalledModel, SpeechModelManager } from '../models';
import { RemoteTranscriptionEngine, type SpeechToTextEngine } from '../stt';
import { EspeakEngine, PiperEngine, RemoteSpeechEngine, type TextToSpeechEngine } from '../tts';
import { createLocalWhisper } from './local-whisper';

/** Where a remote engine's provider lives: the Models panel's providers, resolved by the server. */
export interface ProviderAccess {
  baseUrl: string;
  apiKey?: string;
  headers: Record<string, string>;
}
export type ResolveProvider = (providerId: string) => Promise<ProviderAccess>;

export interface Recognition {
  engine: SpeechToTextEngine;
  /** 'auto' or an ISO 639-1 code, from voice.stt.language. */
  language: string;
  /** What the Voice panel and the logs call it: "whisper-local (base.en)". */
  label: string;
}

export interface Synthesis {
  engine: TextToSpeechEngine;
  voice: string | undefined;
  speed: number;
  volume: number;
  label: string;
}

interface Cached<T> {
  key: string;
  value: Promise<T>;
}

/**
 * The engines the settings choose, built on first use and kept while the settings stay the same:
 * a whisper model stays loaded between utterances, espeak-ng's WASM instance lives as long as the
 * process. A changed setting builds the new engine and unloads the old one once it is idle.
 */
export class ConfiguredEngines {
  private recognition: Cached<Recognition> | undefined;
  private synthesis: Cached<TextToSpeechEngine> | undefined;
  private espeak: Promise<EspeakEngine> | undefined;
  private loadedLabels: { recognition?: string; synthesis?: string } = {};

  constructor(
    private readonly settings: SettingsRepository,
    private readonly models: SpeechModelManager,
    private readonly resolveProvider: ResolveProvider,
    private readonly logger: Logger,
  ) {}

  async currentRecognition(): Promise<Recognition> {
    const recognition = await this.buildRecognition();
    this.loadedLabels.recognition = recognition.label;
    return recognition;
  }

  async currentSynthesis(): Promise<Synthesis> {
    const synthesis = await this.buildSynthesis();
    this.loadedLabels.synthesis = synthesis.label;
    return synthesis;
  }

  private async buildRecognition(): Promise<Recognition> {
    const settings = await this.settings.getAll();
    const engine = settings['voice.stt.engine'];
    if (engine === 'remote') {
      const ref = requireRemote(settings['voice.stt.remote'], 'speech recognition');
      const provider = await this.resolveProvider(ref.providerId);
      return this.cachedRecognition(`remote:${ref.model}:${fingerprint(provider)}`, settings, async () => ({
        engine: new RemoteTranscriptionEngine({ baseUrl: provider.baseUrl, apiKey: provider.apiKey, headers: provider.headers, model: ref.model }),
        label: `remote (${ref.providerId}/${ref.model})`,
      }));
    }
    const model = await this.whisperModel(settings['voice.stt.model']);
    return this.cachedRecognition(`local:${model.modelPath}`, settings, async () => {
      const { engine, binding } = await createLocalWhisper(model.modelPath, this.logger);
      return { engine, label: `whisper-local (${model.label}, ${binding})` };
    });
  }

  private async buildSynthesis(): Promise<Synthesis> {
    const settings = await this.settings.getAll();
    const tuning = { speed: settings['voice.tts.speed'], volume: settings['voice.tts.volume'] };
    const engine = settings['voice.tts.engine'];
    if (engine === 'remote') {
      const ref = requireRemote(settings['voice.tts.remote'], 'speech synthesis');
      const provider = await this.resolveProvider(ref.providerId);
      const built = await this.cachedSynthesis(`remote:${ref.model}:${fingerprint(provider)}`, async () => {
        const { default: OpenAI } = await loadOpenAiSdk();
        const client = new OpenAI({ baseURL: provider.baseUrl, apiKey: provider.apiKey || 'no-key', defaultHeaders: provider.headers, timeout: 30_000, maxRetries: 1 });
        return new RemoteSpeechEngine({ client, model: ref.model });
      });
      return { engine: built, voice: settings['voice.tts.voice'], ...tuning, label: `remote (${ref.providerId}/${ref.model})` };
    }
    if (engine === 'piper') {
      const voice = await this.piperVoice(settings['voice.tts.voice']);
      const built = await this.cachedSynthesis(`piper:${voice.modelPath}`, () => PiperEngine.load({ modelPath: voice.modelPath, configPath: voice.configPath }));
      return { engine: built, voice: undefined, ...tuning, label: `piper (${voice.label})` };
    }
    const built = await this.cachedSynthesis('espeak', () => this.espeakEngine());
    return { engine: built, voice: settings['voice.tts.voice'], ...tuning, label: `espeak-ng (${settings['voice.tts.voice']})` };
  }

  /**
   * An engine that transcribes with whatever the settings choose at the time of each call, in
   * the configured language unless the caller asks for one: what voice streams and the
   * transcription endpoint hold on to.
   */
  recognitionEngine(): SpeechToTextEngine {
    return {
      id: 'configured',
      capabilities: { audioContext: true, abortsComputation: false, keepsModelLoaded: true },
      load: async () => {
        await (await this.currentRecognition()).engine.load();
      },
      transcribe: async (pcm, options = {}) => {
        const recognition = await this.currentRecognition();
        return recognition.engine.transcribe(pcm, { ...options, language: options.language ?? recognition.language });
      },
      unload: async () => {},
    };
  }

  /** What is loaded now, without loading anything (for /healthz). */
  describe(): string {
    const { recognition, synthesis } = this.loadedLabels;
    return `recognition ${recognition ?? 'not loaded yet'}; synthesis ${synthesis ?? 'not loaded yet'}`;
  }

  /** Loads the default engines ahead of the first utterance, so it does not pay for the loading. */
  async warmUp(): Promise<void> {
    await this.currentSynthesis().catch(() => undefined);
  }

  async close(): Promise<void> {
    const recognition = await this.recognition?.value.catch(() => undefined);
    this.recognition = undefined;
    this.synthesis = undefined;
    await recognition?.engine.unload().catch(() => undefined);
  }

  private cachedRecognition(key: string, settings: Settings, build: () => Promise<Omit<Recognition, 'language'>>): Promise<Recognition> {
    const language = settings['voice.stt.language'];
    if (this.recognition?.key !== key) {
      const previous = this.recognition;
      const value = build().then((built) => ({ ...built, language }));
      this.recognition = { key, value };
      // A failed build is not kept: the next call tries again (the user may have fixed the cause).
      value.catch(() => {
        if (this.recognition?.value === value) this.recognition = undefined;
      });
      if (previous) void previous.value.then((old) => old.engine.unload()).catch((error: unknown) => this.logger.warn({ err: error }, 'speech recognition engine did not unload'));
      return value;
    }
    return this.recognition.value.then((built) => ({ ...built, language }));
  }

  private cachedSynthesis(key: string, build: () => Promise<TextToSpeechEngine>): Promise<TextToSpeechEngine> {
    if (this.synthesis?.key !== key) {
      const value = build();
      this.synthesis = { key, value };
      value.catch(() => {
        if (this.synthesis?.value === value) this.synthesis = undefined;
      });
    }
    return this.synthesis.value;
  }

  private espeakEngine(): Promise<EspeakEngine> {
    this.espeak ??= EspeakEngine.load();
    this.espeak.catch(() => (this.espeak = undefined));
    return this.espeak;
  }

  private async whisperModel(chosen: string | null): Promise<InstalledModel> {
    const whisper = (await this.models.installed()).filter((model) => model.kind === 'whisper' && !model.missing);
    const model = chosen ? whisper.find((candidate) => candidate.id === chosen || candidate.catalogueId === chosen) : whisper[0];
    if (model) return model;
    if (chosen && whisper.length > 0) {
      throw new ParleyError('not_found', `The speech recognition model "${chosen}" is not installed any more`, {
        hint: 'Choose an installed Whisper model in the Voice panel.',
      });
    }
    throw new ParleyError('unavailable', 'No speech recognition model is installed yet', {
      hint: 'Download a Whisper model in the Voice panel (base.en is a good start, 142 MB), or choose a remote engine there.',
      details: { missing: MISSING_SPEECH_MODEL },
    });
  }

  private async piperVoice(chosen: string): Promise<InstalledModel> {
    const piper = (await this.models.installed()).filter((model) => model.kind === 'piper' && !model.missing);
    const voice = piper.find((candidate) => candidate.id === chosen || candidate.catalogueId === chosen) ?? (piper.length === 1 ? piper[0] : undefined);
    if (voice) return voice;
    throw new ParleyError('unavailable', piper.length ? `The Piper voice "${chosen}" is not installed` : 'No Piper voice is installed', {
      hint: piper.length ? 'Choose one of the installed voices in the Voice panel.' : 'Download a Piper voice in the Voice panel, or switch the engine to eSpeak NG.',
    });
  }
}

/** A provider edited in the Models panel (new key, URL or headers) must rebuild its engine. */
function fingerprint(provider: ProviderAccess): string {
  return createHash('sha256').update(JSON.stringify([provider.baseUrl, provider.apiKey ?? '', provider.headers])).digest('hex');
}

function requireRemote(ref: ModelRef | null, what: string): ModelRef {
  if (ref) return ref;
  throw new ParleyError('invalid_params', `Remote ${what} has no provider and model chosen`, { hint: 'Choose a provider and model in the Voice panel.' });
}
