import { resample } from '#audio';
import { CAPTURE_SAMPLE_RATE, ParleyError } from '#protocol';
import { decodeAudioFile } from './audio';
import type { SpeechToTextEngine } from './stt';

/**
 * Lets another capability (the WhatsApp bridge's voice notes) turn an audio file into text with
 * the recognition engine the Voice panel chose: the speech capability attaches its engine when it
 * is built, so one model stays loaded for both. OGG/Opus, WebM, MP3 and WAV decode in process.
 */
export class AudioFileTranscription {
  private engine: SpeechToTextEngine | undefined;

  attach(engine: SpeechToTextEngine): void {
    this.engine = engine;
  }

  readonly transcribe = async (bytes: Uint8Array, signal?: AbortSignal): Promise<string> => {
    if (!this.engine) throw new ParleyError('unavailable', 'Speech recognition is not running (the speech capability is not started)');
    const audio = await decodeAudioFile(bytes);
    const pcm = resample(audio, CAPTURE_SAMPLE_RATE).samples;
    const transcript = await this.engine.transcribe(pcm, { audioContext: 'auto', signal });
    return transcript.text;
  };
}
