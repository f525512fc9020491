// Command-line tools a few speech tests still use (espeak-ng, until it runs as WASM). The codec
// tests need none: they check Parley's audio in process (tests/backend/base/audio/signals.ts).
// Locally a missing tool skips its test; under CI=true it fails the test, so CI cannot pass silently.
import { execFileSync } from 'node:child_process';

export { correlation, sine, zeroCrossingFrequency } from '../../base/audio/signals';

const INSTALL: Record<string, string> = { 'espeak-ng': 'espeak-ng' };

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
