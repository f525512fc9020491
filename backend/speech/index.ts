import type { CapabilityContext, CapabilityFactory } from '../platform/capability';
import type { AudioFileTranscription } from './audio-file-transcription';
import { ConfiguredEngines, type ResolveProvider } from './engines/configured-engines';
import { modelHandlers } from './model-handlers';
import { SpeechModelManager } from './models';
import { speechRoute } from './openai-endpoint/speech-route';
import { speechSynthesisService } from './speech-synthesis-service';
import { transcriptionsRoute } from './openai-endpoint/transcriptions-route';
import type { AgentTurnPort } from './session/ports';
import { synthesizeHandler } from './synthesize-handler';
import { VoiceStreams } from './voice-streams';

export type { ProviderAccess, ResolveProvider } from './engines/configured-engines';
export { AudioFileTranscription } from './audio-file-transcription';

export interface SpeechDependencies {
  /** The Models panel's providers, for the remote engines. */
  resolveProvider: ResolveProvider;
  /** Gets the recognition engine, for audio files other capabilities transcribe (WhatsApp voice notes). */
  audioFiles?: AudioFileTranscription;
}

/**
 * The voice capability: the console's voice streams (capture → VAD → Whisper → agent → TTS →
 * playback), the model manager, the Voice panel's preview and the OpenAI-compatible speech
 * endpoints. Engines are built from the settings on first use and kept loaded.
 */
export function speechCapability(deps: SpeechDependencies): CapabilityFactory {
  return (context: CapabilityContext) => {
    const models = new SpeechModelManager({ dataDir: context.dataDir });
    const engines = new ConfiguredEngines(context.settings, models, deps.resolveProvider, context.logger);
    deps.audioFiles?.attach(engines.recognitionEngine());
    // A voice turn is a console turn: stored and shown like a typed one.
    const agent: AgentTurnPort = {
      checkConversation: (conversationId) => context.turns.assertConversation(conversationId),
      run: async (conversationId, text, turnId, signal, onText) => {
        await context.turns.run({ channel: 'console', conversationId, text, turnId, signal, onText });
      },
    };
    const streams = new VoiceStreams({
      channel: context.connections,
      engines,
      settings: context.settings,
      agent,
      logger: context.logger,
      observeStage: (stage, ms) => context.metrics.observeStage(stage, ms),
    });
    // WhatsApp's voice-note replies speak through the same engines (a slot: capabilities do not import each other).
    const synthesisProvided = context.speechSynthesis.provide(speechSynthesisService(() => engines.currentSynthesis()));
    return {
      id: 'speech',
      methods: {
        ...streams.handlers(),
        ...modelHandlers(models, context.events.publish, context.logger),
        'speech.synthesize': synthesizeHandler(() => engines.currentSynthesis()),
      },
      routes: [transcriptionsRoute(engines.recognitionEngine()), speechRoute(() => engines.currentSynthesis())],
      health: {
        speech: async () => {
          const whisperModels = (await models.installed()).filter((model) => model.kind === 'whisper' && !model.missing).length;
          return { ready: true, detail: `${engines.describe()}; ${whisperModels} Whisper model(s) installed; ${streams.openCount} voice stream(s) open` };
        },
      },
      serving() {
        // espeak-ng's WASM instance takes ~0.2 s to start: warm it once the backend serves, so neither the start nor the first spoken answer pays for it.
        void engines.warmUp();
      },
      async stop() {
        synthesisProvided.dispose();
        streams.closeAll();
        await engines.close();
      },
    };
  };
}
