import { VoiceActivityDetector, type VadOptions } from '../vad';
import type { VoiceActivity } from '../session/ports';

/**
 * Silero VAD behind the session's VoiceActivity port. The detector runs the model asynchronously,
 * in order; its verdicts reach the session a few milliseconds after the audio that caused them.
 */
export async function createSileroActivity(
  options: Pick<VadOptions, 'silenceMs' | 'sensitivity'>,
  onError: (error: unknown) => void,
  /** How long the detector took to declare the end of speech after it stopped (the vad_end stage). */
  onEndOfSpeechDelay?: (milliseconds: number) => void,
): Promise<VoiceActivity & { configure(update: Partial<VadOptions>): void }> {
  const detector = await VoiceActivityDetector.create(options);
  if (onEndOfSpeechDelay) detector.onSpeechEnd((atMs, info) => info.reason === 'silence' && onEndOfSpeechDelay(atMs - info.endMs));
  return {
    push: (pcm) => detector.push(pcm).catch(onError),
    onSpeechStart: (listener) => void detector.onSpeechStart(() => listener()),
    onSpeechEnd: (listener) => void detector.onSpeechEnd(() => listener()),
    flush: () => void detector.flush().catch(onError),
    setPlaybackActive: (active) => detector.setPlaybackActive(active),
    reset: () => void detector.reset().catch(onError),
    configure: (update) => detector.configure(update),
  };
}
