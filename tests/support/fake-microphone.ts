/**
 * What Chromium's fake microphone says: `--use-file-for-fake-audio-capture=<wav>` plays a WAV file
 * in a loop as the capture device. This writes one with espeak-ng speaking `text` between silences
 * of known length (sox pads and converts it to 48 kHz mono PCM16, which Chromium reads).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface SpokenLoop {
  path: string;
  /** The spoken part, seconds. */
  speechSeconds: number;
  /** One pass of the loop, seconds. */
  loopSeconds: number;
}

export function writeSpokenLoopWav(dir: string, text: string, options: { leadMs: number; trailMs: number; name?: string }): SpokenLoop {
  const spoken = join(dir, `${options.name ?? 'spoken'}.raw.wav`);
  const path = join(dir, `${options.name ?? 'spoken'}.wav`);
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '160', '-w', spoken, text]);
  execFileSync('sox', ['-D', spoken, '-r', '48000', '-c', '1', '-b', '16', '-e', 'signed-integer', path, 'pad', String(options.leadMs / 1000), String(options.trailMs / 1000)]);
  const speechSeconds = Number(execFileSync('soxi', ['-D', spoken], { encoding: 'utf8' }));
  const loopSeconds = Number(execFileSync('soxi', ['-D', path], { encoding: 'utf8' }));
  return { path, speechSeconds, loopSeconds };
}
