/**
 * What Chromium's fake microphone says: `--use-file-for-fake-audio-capture=<wav>` plays a WAV file
 * in a loop as the capture device. This writes one with espeak-ng (the product's WASM build, see
 * test-speech.ts) speaking `text` between silences of known length, as 48 kHz mono PCM16, which
 * Chromium reads; the resampling happens in process.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav, floatToPcm16, resample } from '#audio';
import { espeakAudio } from './test-speech';

/** The rate Chromium's fake capture device runs at, so the file needs no conversion there. */
const FAKE_CAPTURE_RATE = 48_000;

export interface SpokenLoop {
  path: string;
  /** The spoken part, seconds. */
  speechSeconds: number;
  /** One pass of the loop, seconds. */
  loopSeconds: number;
}

export function writeSpokenLoopWav(dir: string, text: string, options: { leadMs: number; trailMs: number; name?: string }): SpokenLoop {
  const path = join(dir, `${options.name ?? 'spoken'}.wav`);
  const espeakOutput = espeakAudio(text);
  const spoken = floatToPcm16(resample(espeakOutput, FAKE_CAPTURE_RATE).samples);
  const lead = Math.round((options.leadMs / 1000) * FAKE_CAPTURE_RATE);
  const trail = Math.round((options.trailMs / 1000) * FAKE_CAPTURE_RATE);
  const pcm = new Int16Array(lead + spoken.length + trail);
  pcm.set(spoken, lead);
  writeFileSync(path, encodeWav({ pcm, sampleRate: FAKE_CAPTURE_RATE }));
  return { path, speechSeconds: espeakOutput.samples.length / espeakOutput.sampleRate, loopSeconds: pcm.length / FAKE_CAPTURE_RATE };
}
