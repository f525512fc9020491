import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Same size the backend's store expects for PARLEY_SECRET_KEY. */
export const SEALED_KEY_BYTES = 32;
export const SEALED_KEY_FILE = 'secret-key.safe';
/** The backend's own fallback key file (backend/store), readable only by the owner. */
export const BACKEND_KEY_FILE = 'secret.key';

/** OS-backed encryption (Electron safeStorage in the app; a fake in tests). */
export interface KeyCipher {
  available(): Promise<boolean>;
  encrypt(plain: Buffer): Promise<Buffer>;
  /** `shouldReseal`: the OS rotated its key; seal again so the file keeps up. */
  decrypt(sealed: Buffer): Promise<{ plain: Buffer; shouldReseal: boolean }>;
}

export interface SealedKeyPaths {
  /** `<userData>/secret-key.safe` */
  sealedKeyFile: string;
  /** `<userData>/secret.key`, which the backend creates when it is given no key. */
  backendKeyFile: string;
}

export type SealedKeyResult =
  | { kind: 'sealed'; key: Buffer; created: boolean }
  /** Pass no key: the backend keeps (or creates) its 0600 key file. `reason` is worth a log line. */
  | { kind: 'skipped'; reason: string };

export class SealedKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedKeyError';
  }
}

/**
 * The key that seals the user's saved secrets, kept encrypted by the OS keychain.
 *
 * A sealed file that cannot be opened is an error, never a reason to make a new key: a new key
 * silently makes every saved secret unreadable, whereas the error leaves the user a way back
 * (unlock the keychain, restore the file) or a deliberate choice (delete it and re-enter secrets).
 */
export async function loadOrCreateSealedKey(paths: SealedKeyPaths, cipher: KeyCipher): Promise<SealedKeyResult> {
  const { sealedKeyFile, backendKeyFile } = paths;

  if (existsSync(sealedKeyFile)) {
    if (!(await cipher.available())) {
      throw new SealedKeyError(
        `${sealedKeyFile} holds the key to your saved secrets, but the system keychain is not available, so it cannot be opened. ` +
          'Unlock the keychain (or sign in to the desktop session that created it) and start Parley again.',
      );
    }
    let opened: { plain: Buffer; shouldReseal: boolean };
    try {
      opened = await cipher.decrypt(readFileSync(sealedKeyFile));
    } catch (error) {
      throw corruptKeyError(sealedKeyFile, error instanceof Error ? error.message : String(error));
    }
    if (opened.plain.length !== SEALED_KEY_BYTES) {
      throw corruptKeyError(sealedKeyFile, `it holds ${opened.plain.length} bytes instead of ${SEALED_KEY_BYTES}`);
    }
    if (opened.shouldReseal) writeSealedKey(sealedKeyFile, await cipher.encrypt(opened.plain));
    return { kind: 'sealed', key: opened.plain, created: false };
  }

  // Secrets saved so far are sealed with the backend's key file; a new key would orphan them.
  if (existsSync(backendKeyFile)) {
    return { kind: 'skipped', reason: `${backendKeyFile} already protects saved secrets; the backend keeps using it` };
  }

  if (!(await cipher.available())) {
    return {
      kind: 'skipped',
      reason: `the system keychain is not available; the backend will keep its key in ${backendKeyFile}, readable only by your user`,
    };
  }

  const key = randomBytes(SEALED_KEY_BYTES);
  writeSealedKey(sealedKeyFile, await cipher.encrypt(key));
  return { kind: 'sealed', key, created: true };
}

function corruptKeyError(file: string, detail: string): SealedKeyError {
  return new SealedKeyError(
    `${file} could not be opened (${detail}). It may be damaged, or sealed by another user account or keychain. ` +
      'Parley did not replace it, because a new key would make your saved secrets unreadable. ' +
      'Restore it from a backup, or delete it to start over and enter your API keys and other secrets again.',
  );
}

/** Write-then-rename, so a crash mid-write cannot leave a truncated file that blocks every later start. */
function writeSealedKey(file: string, sealed: Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, sealed, { mode: 0o600 });
  renameSync(temporary, file);
}
