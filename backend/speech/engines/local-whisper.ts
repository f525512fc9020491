import type { Logger } from '../../platform/observability';
import { createLocalWhisperEngine, type SpeechToTextEngine } from '../stt';

/**
 * The local whisper.cpp engine for a model file, loaded before the first utterance needs it: the
 * faster binding that works on this machine. Decoding is greedy without temperature fallback: on a
 * live utterance a quick answer beats a second, hotter decode of doubtful audio.
 */
export async function createLocalWhisper(modelPath: string, logger: Logger): Promise<{ engine: SpeechToTextEngine; binding: string }> {
  const choice = await createLocalWhisperEngine({ modelPath, temperatureFallback: false });
  for (const note of choice.notes) logger.warn({ binding: choice.binding }, note);
  logger.info({ binding: choice.binding, modelPath }, 'local speech recognition loaded');
  return choice;
}
