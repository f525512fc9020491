import type { Pcm16Audio } from '#audio';

/** One voice an engine can speak with. */
export interface Voice {
  /** What `synthesize({ voice })` takes: "en-us" (espeak-ng), a Piper speaker name, "alloy" (remote). */
  id: string;
  name: string;
  /** BCP 47-ish language code when the engine knows it ("en-us", "de"). */
  language?: string;
  gender?: 'female' | 'male';
}

export interface SynthesisOptions {
  /** A voice id from {@link TextToSpeechEngine.voices}; each engine has a default. */
  voice?: string;
  /** Speaking rate: 1 is the engine's normal pace, 2 twice as fast, 0.5 half. */
  speed?: number;
  /** Linear gain: 1 leaves the engine's level, 0 is silence, above 1 is louder and clips at full scale. */
  volume?: number;
  /** Aborts a remote request at once; a local engine checks it before and after its (short) work. */
  signal?: AbortSignal;
}

/**
 * Mono PCM16 at the engine's own rate (22.05 kHz for espeak-ng and most Piper voices, 24 kHz for
 * OpenAI). PCM16 because that is what every engine produces natively and what the console and the
 * voice session (`SpeechSynthesizer`) take; `toFloatAudio` from ../audio converts for processing.
 */
export type SynthesizedSpeech = Pcm16Audio;

/**
 * A text-to-speech engine. `synthesize` takes one sentence or a few (the voice pipeline sends one
 * sentence at a time, as {@link SpeakableSentenceStream} completes them) and answers all its audio.
 */
export interface TextToSpeechEngine {
  /** "espeak", "piper" or "remote": the `voice.tts.engine` setting. */
  readonly id: string;
  voices(): Promise<Voice[]>;
  synthesize(text: string, options?: SynthesisOptions): Promise<SynthesizedSpeech>;
}
