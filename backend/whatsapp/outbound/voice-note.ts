import type { SpeechSynthesis, SpokenAudio } from '../../platform/intake';
import type { VoiceNote } from '../adapter/messaging-adapter';

/** WhatsApp shows a voice note with a play button only up to this size; larger ones arrive as a file. */
export const MAX_VOICE_NOTE_BYTES = 512 * 1024;
export const VOICE_NOTE_MIME_TYPE = 'audio/ogg; codecs=opus';

/**
 * 24 kbps keeps speech clear and a minute near 180 KB; a long answer is encoded again at a lower
 * rate rather than sent as a file (16 kbps: about 4 minutes fit, 12 kbps: about 5½).
 */
const BITRATES = [24_000, 16_000, 12_000];

/** A reply spoken and encoded as an OGG/Opus mono voice note of at most 512 KB; throws (the caller sends text) when it cannot be. */
export async function speakAsVoiceNote(speech: SpeechSynthesis, text: string, signal: AbortSignal): Promise<VoiceNote> {
  return encodeVoiceNote(speech, await speech.synthesize(text, signal));
}

/** Mono speech as an OGG/Opus voice note of at most 512 KB, at the highest of the bitrates that fits. */
export function encodeVoiceNote(speech: Pick<SpeechSynthesis, 'encodeOggOpus'>, audio: SpokenAudio): VoiceNote {
  for (const bitrate of BITRATES) {
    const bytes = speech.encodeOggOpus(audio, { bitrate });
    if (bytes.byteLength <= MAX_VOICE_NOTE_BYTES) return { bytes, mimeType: VOICE_NOTE_MIME_TYPE };
  }
  const seconds = Math.round(audio.pcm.length / audio.sampleRate);
  throw new Error(`${seconds} s of speech is over WhatsApp's 512 KB for a voice note even at ${BITRATES.at(-1)! / 1000} kbps`);
}
