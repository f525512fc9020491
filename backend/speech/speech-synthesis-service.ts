import { toFloatAudio } from '#audio';
import type { SpeechSynthesis, SpokenAudio } from '../platform/intake';
import { encodeOggOpus } from './audio';
import type { Synthesis } from './engines/configured-engines';
import { requireSpokenAudio } from './spoken-audio';
import { SpeakableSentenceStream } from './text';

/**
 * The speech capability's text-to-speech for other capabilities (WhatsApp's voice-note replies):
 * the Voice panel's engine, voice, speed and volume. The text is spoken sentence by sentence, as the
 * voice loop speaks an answer (engines take a sentence or a few at a time), and joined.
 */
export function speechSynthesisService(currentSynthesis: () => Promise<Synthesis>): SpeechSynthesis {
  return {
    async synthesize(text: string, signal: AbortSignal): Promise<SpokenAudio> {
      const synthesis = await currentSynthesis();
      const sentences = new SpeakableSentenceStream();
      const parts: SpokenAudio[] = [];
      for (const sentence of [...sentences.push(text), ...sentences.flush()]) {
        signal.throwIfAborted();
        const audio = await synthesis.engine.synthesize(sentence, { voice: synthesis.voice, speed: synthesis.speed, volume: synthesis.volume, signal });
        if (audio.pcm.length) parts.push(audio);
      }
      const sampleRate = parts[0]?.sampleRate ?? 16_000;
      const pcm = new Int16Array(parts.reduce((sum, part) => sum + part.pcm.length, 0));
      let offset = 0;
      for (const part of parts) {
        // One engine per answer, so one rate; a change of settings between sentences would show here.
        if (part.sampleRate !== sampleRate) throw new Error(`The speech engine changed its rate mid-answer (${part.sampleRate} Hz after ${sampleRate} Hz)`);
        pcm.set(part.pcm, offset);
        offset += part.pcm.length;
      }
      return requireSpokenAudio({ pcm, sampleRate });
    },
    encodeOggOpus: (audio, options) => encodeOggOpus(toFloatAudio(audio), { bitrate: options.bitrate }),
  };
}
