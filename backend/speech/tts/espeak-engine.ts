import { ParleyError } from '#protocol';
import { decodeWav, floatToPcm16 } from '#audio';
import { loadEspeakRuntime, type EspeakWasmRuntime } from './espeak-wasm-runtime';
import { parseEspeakVoices } from './espeak-voice-list';
import { checkSpeed, checkVolume, throwIfAborted, withVolume } from './synthesis-options';
import type { SynthesisOptions, SynthesizedSpeech, TextToSpeechEngine, Voice } from './text-to-speech-engine';

export const ESPEAK_DEFAULT_VOICE = 'en-us';
/** espeak-ng's own default rate, words per minute; speed 1 means this. */
const NORMAL_WORDS_PER_MINUTE = 175;
/** The rates espeak-ng accepts. */
const MIN_WORDS_PER_MINUTE = 80;
const MAX_WORDS_PER_MINUTE = 450;
/** espeak-ng writes 22.05 kHz; said here for the empty-text answer, the WAV header says it otherwise. */
const ESPEAK_SAMPLE_RATE = 22_050;
/** A voice name, optionally with a variant ("en-us+f3"); never an option ("-w...") or a path out of the data. */
const VOICE_ID = /^[A-Za-z0-9][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)?$/;
const INPUT_PATH = '/tmp/parley-input.txt';
const OUTPUT_PATH = '/tmp/parley-output.wav';

/**
 * espeak-ng, in process, from the npm WASM build: the default engine, which speaks with no model
 * download. Robotic but instant (~20-40 ms a sentence once loaded). Voices are espeak-ng's languages
 * ("en-us", "de", "fr"...); a variant can be appended ("en-us+f3").
 */
export class EspeakEngine implements TextToSpeechEngine {
  readonly id = 'espeak';
  private voiceList: Voice[] | undefined;

  private constructor() {}

  /** Loads the shared WASM instance and warms it up (the first run also compiles the hot paths). */
  static async load(): Promise<EspeakEngine> {
    const engine = new EspeakEngine();
    await engine.synthesize('Ready.');
    return engine;
  }

  async voices(): Promise<Voice[]> {
    if (!this.voiceList) {
      const runtime = await loadEspeakRuntime();
      this.voiceList = parseEspeakVoices(runtime.run(['--voices']).stdout);
    }
    return this.voiceList;
  }

  async synthesize(text: string, options: SynthesisOptions = {}): Promise<SynthesizedSpeech> {
    const voice = options.voice ?? ESPEAK_DEFAULT_VOICE;
    if (!VOICE_ID.test(voice)) throw new ParleyError('invalid_params', `Not an espeak-ng voice name: "${voice}"`);
    const speed = checkSpeed(options.speed);
    const volume = checkVolume(options.volume);
    throwIfAborted(options.signal);
    if (!/[\p{L}\p{N}]/u.test(text)) return { pcm: new Int16Array(0), sampleRate: ESPEAK_SAMPLE_RATE };

    const runtime = await loadEspeakRuntime();
    throwIfAborted(options.signal);
    const wordsPerMinute = Math.round(Math.min(MAX_WORDS_PER_MINUTE, Math.max(MIN_WORDS_PER_MINUTE, NORMAL_WORDS_PER_MINUTE * speed)));
    const wav = runWithWav(runtime, ['-v', voice, '-s', String(wordsPerMinute), '-w', OUTPUT_PATH, '-f', INPUT_PATH], text, voice);
    throwIfAborted(options.signal);
    const audio = decodeWav(wav);
    return withVolume({ pcm: floatToPcm16(audio.samples), sampleRate: audio.sampleRate }, volume);
  }
}

function runWithWav(runtime: EspeakWasmRuntime, args: string[], text: string, voice: string): Uint8Array {
  const result = runtime.run(args, { inputs: { [INPUT_PATH]: text }, outputs: [OUTPUT_PATH] });
  const wav = result.outputs.get(OUTPUT_PATH);
  if (result.exitCode === 0 && wav) return wav;
  const message = result.stderr.find((line) => !line.startsWith('program exited')) ?? `exit status ${result.exitCode}`;
  if (/voice does not exist/i.test(message)) throw new ParleyError('invalid_params', `espeak-ng has no voice "${voice}"`, { hint: 'Pick a voice from the list.' });
  throw new ParleyError('internal', `espeak-ng could not synthesise: ${message}`);
}
