import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_KEY_BYTES = 32;
export const SECRET_KEY_FILE = 'secret.key';

export type SecretKeySource = 'environment' | 'key-file' | 'generated-key-file';

/**
 * The key that seals secrets at rest. The desktop app passes one that Electron's safeStorage
 * protects (as PARLEY_SECRET_KEY); in server mode it comes from PARLEY_SECRET_KEY or from a key
 * file that only the owner can read, created on first start.
 */
export function loadSecretKey(dataDir: string, fromEnvironment: string | undefined): { key: Buffer; source: SecretKeySource } {
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    return { key: decodeKey(fromEnvironment, 'PARLEY_SECRET_KEY'), source: 'environment' };
  }
  const path = join(dataDir, SECRET_KEY_FILE);
  if (existsSync(path)) {
    const mode = statSync(path).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new Error(`${path} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 "${path}"`);
    }
    return { key: decodeKey(readFileSync(path, 'utf8').trim(), path), source: 'key-file' };
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(SECRET_KEY_BYTES);
  writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { key, source: 'generated-key-file' };
}

function decodeKey(text: string, origin: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== SECRET_KEY_BYTES) {
    throw new Error(`${origin} must be ${SECRET_KEY_BYTES} bytes in base64 (got ${key.length} bytes); generate one with: openssl rand -base64 32`);
  }
  return key;
}
