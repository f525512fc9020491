/**
 * Test speech for the Whisper engines: espeak-ng (the Debian CLI) speaks the text, sox resamples it
 * to what the engines take (16 kHz mono), and it comes back as float samples in [-1, 1].
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SAMPLE_RATE = 16_000;

export async function speak(text: string, options: { wordsPerMinute?: number } = {}): Promise<Float32Array> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-speech-'));
  try {
    const spoken = join(dir, 'spoken.wav');
    const raw = join(dir, 'speech.raw');
    await run('espeak-ng', ['-s', String(options.wordsPerMinute ?? 160), '-w', spoken, text]);
    await run('sox', [spoken, '-r', String(SAMPLE_RATE), '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw', raw]);
    const bytes = await readFile(raw);
    const samples = new Int16Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 2));
    return Float32Array.from(samples, (sample) => sample / 32768);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
