import { ParleyError } from '#protocol';
import { InProcessWhisperEngine } from './in-process-whisper-engine';
import { SMART_WHISPER_REBUILD_COMMAND, smartWhisperSimd } from './smart-whisper-addon';
import { SmartWhisperEngine } from './smart-whisper-engine';
import type { SpeechToTextEngine } from './speech-to-text-engine';

/** What both in-process bindings take. */
export interface LocalWhisperOptions {
  modelPath: string;
  threads?: number;
  useGpu?: boolean;
  timeoutMs?: number;
  maxAudioSeconds?: number;
  temperatureFallback?: boolean;
  /** See SmartWhisperOptions.trustedModel. */
  trustedModel?: boolean;
}

export type LocalWhisperBinding = 'smart-whisper' | '@fugood/whisper.node';

export interface LocalWhisperChoice {
  /** Loaded and ready. */
  engine: SpeechToTextEngine;
  binding: LocalWhisperBinding;
  /** For the log and diagnostics: why smart-whisper was not used, or what would make it faster. */
  notes: string[];
}

/**
 * The default local speech-to-text: smart-whisper (built on install for this CPU, with audio_ctx;
 * ~0.14 s for a 3 s utterance on tiny.en, two cores) when its addon loads, else
 * @fugood/whisper.node (prebuilt, no AVX, no audio_ctx: ~12 s). Resolves with the engine loaded.
 *
 * It falls back only when smart-whisper itself is unusable (not built, does not load). A model
 * that smart-whisper's whisper.cpp refuses is refused: the other binding would crash on it, and
 * a missing or foreign file fails the same way in both.
 */
export async function createLocalWhisperEngine(options: LocalWhisperOptions): Promise<LocalWhisperChoice> {
  const notes: string[] = [];
  const smart = new SmartWhisperEngine(options);
  try {
    await smart.load();
    if (smartWhisperSimd() === 'baseline') {
      notes.push(`smart-whisper was compiled without AVX2/FMA/F16C (about 6× slower); rebuild it with: ${SMART_WHISPER_REBUILD_COMMAND}`);
    }
    return { engine: smart, binding: 'smart-whisper', notes };
  } catch (error) {
    if (!(error instanceof ParleyError) || error.code !== 'unavailable') throw error;
    notes.push(`smart-whisper is unavailable (${error.message}${error.hint ? `; ${error.hint}` : ''}); using @fugood/whisper.node`);
  }
  const fallback = new InProcessWhisperEngine(options);
  await fallback.load();
  return { engine: fallback, binding: '@fugood/whisper.node', notes };
}
