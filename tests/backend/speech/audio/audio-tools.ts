// The Debian tools these tests check Parley's audio against. Locally a missing tool skips its
// test; under CI=true it fails the test, so a CI image without them cannot pass silently.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const INSTALL: Record<string, string> = { opusinfo: 'opus-tools', opusdec: 'opus-tools', opusenc: 'opus-tools', sox: 'sox', 'espeak-ng': 'espeak-ng' };

export function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Skip the test (locally) unless every tool is there; under CI=true run it, and {@link requireTools} fails it. */
export function skipWithoutTools(...names: string[]): boolean {
  return process.env['CI'] !== 'true' && !names.every(hasTool);
}

export function requireTools(...names: string[]): void {
  const missing = names.filter((name) => !hasTool(name));
  if (missing.length > 0) {
    throw new Error(`Missing ${missing.join(', ')}: apt-get install -y ${[...new Set(missing.map((name) => INSTALL[name] ?? name))].join(' ')}`);
  }
}

/** A scratch directory for one test, removed afterwards by the returned cleanup. */
export function scratchDir(): { dir: string; file(name: string): string; write(name: string, bytes: Uint8Array): string; read(name: string): Buffer; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-audio-'));
  return {
    dir,
    file: (name) => path.join(dir, name),
    write: (name, bytes) => {
      writeFileSync(path.join(dir, name), bytes);
      return path.join(dir, name);
    },
    read: (name) => readFileSync(path.join(dir, name)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** espeak-ng (Debian's command line) speaking `text` into a WAV file: real speech to test codecs on. */
export function espeakWav(text: string, file: string): Buffer {
  run('espeak-ng', ['-v', 'en-us', '-w', file, text]);
  return readFileSync(file);
}

/** A sine wave, as floats. */
export function sine(frequency: number, sampleRate: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(sampleRate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
}

/** Normalised cross-correlation at lag 0 over the common length: 1 for identical shapes. */
export function correlation(a: Float32Array, b: Float32Array): number {
  const length = Math.min(a.length, b.length);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! ** 2;
    bb += b[i]! ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** The dominant frequency by zero crossings: good enough for a clean sine. */
export function zeroCrossingFrequency(samples: Float32Array, sampleRate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1]! < 0) !== (samples[i]! < 0)) crossings++;
  return (crossings / 2) * (sampleRate / samples.length);
}
