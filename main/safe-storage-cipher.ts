import { safeStorage } from 'electron';
import type { KeyCipher } from './sealed-key';

/** Electron glue: the OS keychain through safeStorage (its API takes strings, so keys travel as base64). */
export const safeStorageCipher: KeyCipher = {
  async available() {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
    // Linux without a keyring falls back to a fixed, public password: that protects nothing the
    // backend's owner-only key file does not, and would only pretend to.
    return !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text');
  },
  encrypt: (plain) => safeStorage.encryptStringAsync(plain.toString('base64')),
  async decrypt(sealed) {
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(sealed);
    return { plain: Buffer.from(result, 'base64'), shouldReseal: shouldReEncrypt };
  },
};
