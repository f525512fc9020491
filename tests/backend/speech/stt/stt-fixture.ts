import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cachedGgmlWhisperModel, scriptedText, TEST_MODEL } from '../../../support/ggml-whisper-model';
import { speak } from '../../../support/ggml-whisper-speech';

/** Every call of a whisper.cpp engine in these tests is bounded: the binding can hang on failures. */
export const INFERENCE_TIMEOUT_MS = 15_000;

/** The small random-weight model (~8 MB, generated once into the temp dir). */
export function testModelPath(): Promise<string> {
  return cachedGgmlWhisperModel(TEST_MODEL);
}

/** What the test model writes for any speech (its decoder is scripted). */
export const TEST_MODEL_TEXT = scriptedText(TEST_MODEL).trim();

export function threeSecondsOfSpeech(): Promise<Float32Array> {
  return speak('Please book a table for four people at eight tonight.');
}

export async function notAModel(dir: string): Promise<string> {
  const path = join(dir, 'not-a-model.bin');
  await writeFile(path, Buffer.from('this is not a ggml file, just some text that is long enough to read a header from'));
  return path;
}

/** Ten minutes of a quiet tone: far over the default five-minute limit. */
export function tenMinutes(): Float32Array {
  const pcm = new Float32Array(16_000 * 600);
  for (let index = 0; index < pcm.length; index++) pcm[index] = 0.1 * Math.sin(index / 10);
  return pcm;
}
