import type { MethodHandler } from '#protocol';
import { encodeWav } from '#audio';
import type { Synthesis } from './engines/configured-engines';
import { requireSpokenAudio } from './spoken-audio';

/** The Voice panel's preview: the text spoken as the settings say, as a WAV. */
export function synthesizeHandler(currentSynthesis: () => Promise<Synthesis>): MethodHandler<'speech.synthesize'> {
  return async ({ text }, context) => {
    const started = performance.now();
    const synthesis = await currentSynthesis();
    const audio = requireSpokenAudio(await synthesis.engine.synthesize(text, { voice: synthesis.voice, speed: synthesis.speed, volume: synthesis.volume, signal: context.signal }));
    return { wavBase64: Buffer.from(encodeWav(audio)).toString('base64'), sampleRate: audio.sampleRate, ms: Math.round(performance.now() - started) };
  };
}
