import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SealedKeyError, loadOrCreateSealedKey, type KeyCipher, type SealedKeyPaths } from '../../main/sealed-key';

const MAGIC = Buffer.from('sealed:');

/** A reversible stand-in for safeStorage that can tell its own output from anything else. */
function fakeCipher(options: { available?: boolean; shouldReseal?: boolean } = {}) {
  const calls = { encrypt: 0, decrypt: 0 };
  const cipher: KeyCipher = {
    available: async () => options.available ?? true,
    encrypt: async (plain) => {
      calls.encrypt += 1;
      return Buffer.concat([MAGIC, Buffer.from(plain.map((byte) => byte ^ 0x5a))]);
    },
    decrypt: async (sealed) => {
      calls.decrypt += 1;
      if (!sealed.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('Error while decrypting the ciphertext provided');
      return { plain: Buffer.from(sealed.subarray(MAGIC.length).map((byte) => byte ^ 0x5a)), shouldReseal: options.shouldReseal ?? false };
    },
  };
  return { cipher, calls };
}

let dir: string;
let paths: SealedKeyPaths;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-sealed-key-'));
  paths = { sealedKeyFile: join(dir, 'secret-key.safe'), backendKeyFile: join(dir, 'secret.key') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadOrCreateSealedKey', () => {
  it('creates a 32-byte key once and returns the same key afterwards', async () => {
    const { cipher, calls } = fakeCipher();
    const first = await loadOrCreateSealedKey(paths, cipher);
    expect(first).toMatchObject({ kind: 'sealed', created: true });
    if (first.kind !== 'sealed') throw new Error('unreachable');
    expect(first.key).toHaveLength(32);
    // Stored sealed, never in the clear.
    expect(readFileSync(paths.sealedKeyFile).includes(first.key)).toBe(false);
    if (process.platform !== 'win32') expect(statSync(paths.sealedKeyFile).mode & 0o777).toBe(0o600);

    const second = await loadOrCreateSealedKey(paths, cipher);
    expect(second).toMatchObject({ kind: 'sealed', created: false });
    if (second.kind !== 'sealed') throw new Error('unreachable');
    expect(second.key.equals(first.key)).toBe(true);
    expect(calls.encrypt).toBe(1);
  });

  it('creates the data folder on first run', async () => {
    const nested = { sealedKeyFile: join(dir, 'a', 'b', 'secret-key.safe'), backendKeyFile: join(dir, 'a', 'b', 'secret.key') };
    await expect(loadOrCreateSealedKey(nested, fakeCipher().cipher)).resolves.toMatchObject({ kind: 'sealed', created: true });
  });

  it('refuses a corrupt sealed file and leaves it in place', async () => {
    writeFileSync(paths.sealedKeyFile, 'not sealed by this keychain');
    const attempt = loadOrCreateSealedKey(paths, fakeCipher().cipher);
    await expect(attempt).rejects.toBeInstanceOf(SealedKeyError);
    await expect(attempt).rejects.toThrow(/could not be opened.*Error while decrypting.*did not replace it/s);
    expect(readFileSync(paths.sealedKeyFile, 'utf8')).toBe('not sealed by this keychain');
  });

  it('refuses a sealed file that holds a key of the wrong size', async () => {
    const { cipher } = fakeCipher();
    writeFileSync(paths.sealedKeyFile, await cipher.encrypt(Buffer.alloc(16)));
    await expect(loadOrCreateSealedKey(paths, cipher)).rejects.toThrow('it holds 16 bytes instead of 32');
  });

  it('reseals the key when the keychain asks for it', async () => {
    const created = await loadOrCreateSealedKey(paths, fakeCipher().cipher);
    const { cipher, calls } = fakeCipher({ shouldReseal: true });
    const reopened = await loadOrCreateSealedKey(paths, cipher);
    expect(calls.encrypt).toBe(1);
    if (created.kind !== 'sealed' || reopened.kind !== 'sealed') throw new Error('unreachable');
    expect(reopened.key.equals(created.key)).toBe(true);
    expect(existsSync(`${paths.sealedKeyFile}.tmp`)).toBe(false);
  });

  it('skips, writing nothing, when encryption is unavailable', async () => {
    const { cipher, calls } = fakeCipher({ available: false });
    const result = await loadOrCreateSealedKey(paths, cipher);
    expect(result.kind).toBe('skipped');
    if (result.kind === 'skipped') expect(result.reason).toContain('keychain is not available');
    expect(existsSync(paths.sealedKeyFile)).toBe(false);
    expect(calls.encrypt).toBe(0);
  });

  it('keeps using the backend key file when one already protects secrets', async () => {
    writeFileSync(paths.backendKeyFile, Buffer.alloc(32).toString('base64'));
    const result = await loadOrCreateSealedKey(paths, fakeCipher().cipher);
    expect(result.kind).toBe('skipped');
    expect(existsSync(paths.sealedKeyFile)).toBe(false);
  });

  it('refuses when a sealed key exists but the keychain has become unavailable', async () => {
    await loadOrCreateSealedKey(paths, fakeCipher().cipher);
    await expect(loadOrCreateSealedKey(paths, fakeCipher({ available: false }).cipher)).rejects.toThrow(/system keychain is not available/);
  });
});
