import { ParleyError } from '#protocol';
import type { SynthesizedAudio } from './session/ports';

/**
 * Engines answer no samples for text with nothing to pronounce ("***", "..."): a caller that asked
 * for speech gets that said, not a silent file that looks like a success.
 */
export function requireSpokenAudio<T extends SynthesizedAudio>(audio: T): T {
  if (audio.pcm.length > 0) return audio;
  throw new ParleyError('invalid_params', 'The text has nothing to say (no letters or digits)', { hint: 'Give it words to speak.' });
}
