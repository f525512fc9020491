import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '#protocol';
import { APP_DATABASE_FILE, openAppStore, SECRET_KEY_FILE, type AppStore } from '../../../backend/store';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const open = new Set<AppStore>();
afterEach(async () => {
  await Promise.all([...open].map((store) => store.close()));
  open.clear();
});

async function openStore(dataDir: string, secretKey?: string): Promise<AppStore> {
  const store = await openAppStore({ dataDir, secretKey });
  open.add(store);
  return store;
}
async function closeStore(store: AppStore): Promise<void> {
  open.delete(store);
  await store.close();
}

const VALUE = 'sk-live-THIS-IS-A-PLAINTEXT-API-KEY-0123456789';

describe('secret vault', () => {
  it('sets, lists (names only), reads, overwrites and deletes', async () => {
    const store = await openStore(await tempDir());
    const before = Date.now();
    const summary = await store.secrets.set('openai.api-key', VALUE);
    expect(summary.name).toBe('openai.api-key');
    expect(Date.parse(summary.updatedAt)).toBeGreaterThanOrEqual(before - 1000);
    await store.secrets.set('db:warehouse', 'hunter2');

    const listed = await store.secrets.list();
    expect(listed.map((secret) => secret.name)).toEqual(['db:warehouse', 'openai.api-key']);
    expect(JSON.stringify(listed)).not.toContain(VALUE);
    expect(await store.secrets.get('openai.api-key')).toBe(VALUE);

    await store.secrets.set('openai.api-key', 'replaced');
    expect(await store.secrets.get('openai.api-key')).toBe('replaced');
    expect(await store.secrets.list()).toHaveLength(2);

    expect(await store.secrets.delete('openai.api-key')).toBe(true);
    expect(await store.secrets.delete('openai.api-key')).toBe(false);
    expect(await store.secrets.get('openai.api-key')).toBeUndefined();
    expect((await store.secrets.list()).map((secret) => secret.name)).toEqual(['db:warehouse']);
  });

  it('keeps the value out of the database file and the secrets table in plaintext', async () => {
    const dataDir = await tempDir();
    const store = await openStore(dataDir);
    await store.secrets.set('openai.api-key', VALUE);
    await store.secrets.set('other', VALUE);

    const rows = (await store.knex('secrets').select('name', 'sealed').orderBy('name')) as Array<{ name: string; sealed: Buffer }>;
    expect(rows.map((row) => row.name)).toEqual(['openai.api-key', 'other']);
    for (const row of rows) {
      expect(Buffer.isBuffer(row.sealed)).toBe(true);
      // iv (12) | tag (16) | ciphertext as long as the UTF-8 value.
      expect(row.sealed.length).toBe(12 + 16 + Buffer.byteLength(VALUE));
      expect(row.sealed.includes(Buffer.from(VALUE))).toBe(false);
    }
    // A fresh IV each time: the same value never seals to the same bytes.
    expect(rows[0]?.sealed.equals(rows[1]?.sealed as Buffer)).toBe(false);
    await closeStore(store);

    // Closing checkpoints the WAL into the main file; read every byte SQLite left behind.
    const raw = Buffer.concat(
      [APP_DATABASE_FILE, `${APP_DATABASE_FILE}-wal`].map((file) => {
        try {
          return readFileSync(join(dataDir, file));
        } catch {
          return Buffer.alloc(0);
        }
      }),
    );
    expect(raw.includes(Buffer.from('openai.api-key')), 'the name is stored in the clear, so the scan sees the rows').toBe(true);
    expect(raw.includes(Buffer.from(VALUE))).toBe(false);
    expect(raw.includes(Buffer.from(VALUE.slice(0, 16)))).toBe(false);
  });

  it('creates a key file readable by the owner only and reuses it on reopen', async () => {
    const dataDir = await tempDir();
    const store = await openStore(dataDir);
    expect(store.secretKeySource).toBe('generated-key-file');
    const keyPath = join(dataDir, SECRET_KEY_FILE);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'base64')).toHaveLength(32);
    await store.secrets.set('openai.api-key', VALUE);
    await closeStore(store);

    const reopened = await openStore(dataDir);
    expect(reopened.secretKeySource).toBe('key-file');
    expect(await reopened.secrets.get('openai.api-key')).toBe(VALUE);
  });

  it('refuses a key file that other users can read, saying how to fix it', async () => {
    const dataDir = await tempDir();
    await closeStore(await openStore(dataDir));
    const keyPath = join(dataDir, SECRET_KEY_FILE);
    chmodSync(keyPath, 0o644);

    await expect(openAppStore({ dataDir, secretKey: undefined })).rejects.toThrow(
      `${keyPath} is readable by other users (mode 644); run: chmod 600 "${keyPath}"`,
    );
    chmodSync(keyPath, 0o640);
    await expect(openAppStore({ dataDir, secretKey: undefined })).rejects.toThrow(/readable by other users \(mode 640\)/);
  });

  it('refuses a key file that does not hold a 32-byte key', async () => {
    const dataDir = await tempDir();
    writeFileSync(join(dataDir, SECRET_KEY_FILE), randomBytes(16).toString('base64'), { mode: 0o600 });
    await expect(openAppStore({ dataDir, secretKey: undefined })).rejects.toThrow(/must be 32 bytes in base64 \(got 16 bytes\)/);
  });

  it('uses PARLEY_SECRET_KEY when given: no key file, and the secret survives a reopen with the same key', async () => {
    const dataDir = await tempDir();
    const key = randomBytes(32).toString('base64');
    const store = await openStore(dataDir, key);
    expect(store.secretKeySource).toBe('environment');
    await store.secrets.set('openai.api-key', VALUE);
    await closeStore(store);
    expect(() => statSync(join(dataDir, SECRET_KEY_FILE))).toThrow();

    const reopened = await openStore(dataDir, key);
    expect(await reopened.secrets.get('openai.api-key')).toBe(VALUE);
  });

  it("a different PARLEY_SECRET_KEY cannot read the secret and says so clearly", async () => {
    const dataDir = await tempDir();
    const store = await openStore(dataDir, randomBytes(32).toString('base64'));
    await store.secrets.set('openai.api-key', VALUE);
    await closeStore(store);

    const wrong = await openStore(dataDir, randomBytes(32).toString('base64'));
    const failure = await wrong.secrets.get('openai.api-key').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ParleyError);
    expect((failure as ParleyError).code).toBe('unavailable');
    expect((failure as ParleyError).message).toBe('Secret "openai.api-key" cannot be decrypted');
    expect((failure as ParleyError).hint).toMatch(/secret key changed/);
    expect(JSON.stringify((failure as ParleyError).toWire())).not.toContain(VALUE);
    // Listing still works: names are not sealed.
    expect((await wrong.secrets.list()).map((secret) => secret.name)).toEqual(['openai.api-key']);
  });

  it('refuses a malformed PARLEY_SECRET_KEY before touching the data dir', async () => {
    const dataDir = await tempDir();
    for (const malformed of ['not-a-key', randomBytes(31).toString('base64'), randomBytes(33).toString('base64')]) {
      await expect(openAppStore({ dataDir, secretKey: malformed })).rejects.toThrow(
        /PARLEY_SECRET_KEY must be 32 bytes in base64 \(got \d+ bytes\); generate one with: openssl rand -base64 32/,
      );
    }
    expect(() => statSync(join(dataDir, APP_DATABASE_FILE))).toThrow();
  });

  it('binds the ciphertext to the name: a sealed blob copied to another name does not decrypt', async () => {
    const store = await openStore(await tempDir());
    await store.secrets.set('openai.api-key', VALUE);
    await store.secrets.set('harmless', 'x');
    const row = (await store.knex('secrets').where({ name: 'openai.api-key' }).first()) as { sealed: Buffer };
    await store.knex('secrets').where({ name: 'harmless' }).update({ sealed: row.sealed });

    await expect(store.secrets.get('harmless')).rejects.toThrow('Secret "harmless" cannot be decrypted');
    expect(await store.secrets.get('openai.api-key')).toBe(VALUE);
  });

  it('detects a tampered ciphertext', async () => {
    const store = await openStore(await tempDir());
    await store.secrets.set('openai.api-key', VALUE);
    const row = (await store.knex('secrets').where({ name: 'openai.api-key' }).first()) as { sealed: Buffer };
    const tampered = Buffer.from(row.sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0x01;
    await store.knex('secrets').where({ name: 'openai.api-key' }).update({ sealed: tampered });
    await expect(store.secrets.get('openai.api-key')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
