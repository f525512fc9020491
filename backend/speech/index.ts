import type { BroadcastEvent, ConnectionChannel, MethodHandlers } from '#protocol';
import type { HealthRegistry, Logger } from '../platform/observability';
import type { HttpRoute } from '../server';
import type { SettingsRepository } from '../store';
import { ConfiguredEngines, type ResolveProvider } from './engines/configured-engines';
import { modelHandlers, type ModelMethod } from './model-handlers';
import { SpeechModelManager } from './models';
import { speechRoute } from './openai-endpoint/speech-route';
import { transcriptionsRoute } from './openai-endpoint/transcriptions-route';
import type { AgentTurnPort } from './session/ports';
import { synthesizeHandler } from './synthesize-handler';
import { VoiceStreams, type VoiceMethod } from './voice-streams';

export type { ProviderAccess, ResolveProvider } from './engines/configured-engines';
export type { AgentTurnPort } from './session/ports';
export type SpeechMethod = VoiceMethod | ModelMethod | 'speech.synthesize';

export interface SpeechDependencies {
  dataDir: string;
  settings: SettingsRepository;
  /** The Models panel's providers, for the remote engines. */
  resolveProvider: ResolveProvider;
  /** The console's agent turns: a voice turn is stored and shown like a typed one. */
  agent: AgentTurnPort;
  channel: ConnectionChannel;
  broadcast: BroadcastEvent;
  health: HealthRegistry;
  logger: Logger;
}

export interface Speech {
  handlers: MethodHandlers<SpeechMethod>;
  /** The OpenAI-compatible `/v1/audio/transcriptions` and `/v1/audio/speech`. */
  routes: HttpRoute[];
  /** espeak-ng's WASM instance takes ~0.2 s to start: call once the backend serves, so neither the start nor the first spoken answer pays for it. */
  warmUp(): void;
  close(): Promise<void>;
}

/**
 * The voice capability: the console's voice streams (capture → VAD → Whisper → agent → TTS →
 * playback), the model manager, the Voice panel's preview and the OpenAI-compatible speech
 * endpoints. Engines are built from the settings on first use and kept loaded.
 */
export function createSpeech(deps: SpeechDependencies): Speech {
  const models = new SpeechModelManager({ dataDir: deps.dataDir });
  const engines = new ConfiguredEngines(deps.settings, models, deps.resolveProvider, deps.logger);
  const streams = new VoiceStreams({ channel: deps.channel, engines, settings: deps.settings, agent: deps.agent, logger: deps.logger });
  deps.health.register('speech', async () => {
    const whisperModels = (await models.installed()).filter((model) => model.kind === 'whisper' && !model.missing).length;
    return { ready: true, detail: `${engines.describe()}; ${whisperModels} Whisper model(s) installed; ${streams.openCount} voice stream(s) open` };
  });
  return {
    handlers: {
      ...streams.handlers(),
      ...modelHandlers(models, deps.broadcast, deps.logger),
      'speech.synthesize': synthesizeHandler(() => engines.currentSynthesis()),
    },
    routes: [transcriptionsRoute(engines.recognitionEngine()), speechRoute(() => engines.currentSynthesis())],
    warmUp: () => void engines.warmUp(),
    async close() {
      streams.closeAll();
      await engines.close();
    },
  };
}
