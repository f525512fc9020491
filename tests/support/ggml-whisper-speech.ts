/**
 * Test speech for the Whisper engines: espeak-ng (the WASM build the product ships, see
 * test-speech.ts) speaks the text, resampled in process to what the engines take (16 kHz mono),
 * as float samples in [-1, 1].
 */
import { spokenSamples } from './test-speech';

const SAMPLE_RATE = 16_000;

/** Async because callers started the work alongside model builds; the synthesis itself is synchronous. */
export async function speak(text: string, options: { wordsPerMinute?: number } = {}): Promise<Float32Array> {
  return Promise.resolve(spokenSamples(text, SAMPLE_RATE, { wordsPerMinute: options.wordsPerMinute ?? 160 }));
}

const FILLER =
  'The quick brown fox jumps over the lazy dog. Please book a table for four people at eight tonight. ' +
  'The weather tomorrow will be sunny with a light breeze from the west. ';

/** Speech exactly `seconds` long: espeak reads sentences until there is enough, then it is cut. */
export async function speechOfSeconds(seconds: number): Promise<Float32Array> {
  const wanted = Math.round(seconds * SAMPLE_RATE);
  let text = FILLER;
  for (;;) {
    const speech = await speak(text);
    if (speech.length >= wanted) return speech.slice(0, wanted);
    text += FILLER;
  }
}
