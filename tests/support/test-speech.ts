/**
 * Speech for tests, made in this process by the espeak-ng WASM build the product ships (the same
 * module and the same shared instance the backend's EspeakEngine speaks with) and resampled by the
 * product's own resampler: nothing to install, and the same samples on every machine.
 *
 * Synchronous on purpose: the WASM instance is loaded once when this module is imported (top-level
 * await), and a run of the program is synchronous, so fixtures can build audio where they need it.
 */
import { decodeWav, floatToPcm16, pcm16ToFloat, resample, type FloatAudio } from '#audio';
import { loadEspeakRuntime } from '../../backend/speech/tts';

/** What espeak-ng writes. */
export const ESPEAK_SAMPLE_RATE = 22_050;
/** Paths inside the program's in-memory file system; the text goes in a file so it is never read as options. */
const INPUT_PATH = '/tmp/parley-test-input.txt';
const OUTPUT_PATH = '/tmp/parley-test-output.wav';

export interface SpeakOptions {
  /** An espeak-ng voice; en-us unless given. */
  voice?: string;
  /** espeak-ng's -s; 160 unless given (a little slower than its default 175, as the old CLI fixtures used). */
  wordsPerMinute?: number;
}

const runtime = await loadEspeakRuntime();

/** `text` as espeak-ng speaks it: 22.05 kHz mono floats, exactly what `espeak-ng -w` would write. */
export function espeakAudio(text: string, options: SpeakOptions = {}): FloatAudio {
  const args = ['-v', options.voice ?? 'en-us', '-s', String(options.wordsPerMinute ?? 160), '-w', OUTPUT_PATH, '-f', INPUT_PATH];
  const result = runtime.run(args, { inputs: { [INPUT_PATH]: text }, outputs: [OUTPUT_PATH] });
  const wav = result.outputs.get(OUTPUT_PATH);
  if (result.exitCode !== 0 || !wav) throw new Error(`espeak-ng (WASM) could not speak ${JSON.stringify(text)}: ${result.stderr.join(' ') || `exit ${result.exitCode}`}`);
  return decodeWav(wav);
}

/**
 * `text` spoken at `sampleRate` as PCM16, the shape a capture device delivers: resampled with the
 * product's windowed-sinc resampler and rounded to 16 bits without dither, so silence stays exactly
 * 0 and every run gives the same samples.
 */
export function spokenPcm16(text: string, sampleRate: number, options: SpeakOptions = {}): Int16Array {
  return floatToPcm16(resample(espeakAudio(text, options), sampleRate).samples);
}

/** {@link spokenPcm16} as floats in [-1, 1) (through PCM16, exactly what the console sends). */
export function spokenSamples(text: string, sampleRate: number, options: SpeakOptions = {}): Float32Array {
  return pcm16ToFloat(spokenPcm16(text, sampleRate, options));
}
