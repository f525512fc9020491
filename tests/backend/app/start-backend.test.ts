import { chmodSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_KEY_FILE } from '../../../backend/store';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';

describe('starting and stopping the backend', () => {
  const dirs: string[] = [];
  const backends: TestBackend[] = [];
  afterEach(async () => {
    await Promise.all(backends.splice(0).map((backend) => backend.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function keptDataDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'parley-restart-'));
    dirs.push(dir);
    return dir;
  }
  async function start(...args: Parameters<typeof startTestBackend>): Promise<TestBackend> {
    const backend = await startTestBackend(...args);
    backends.push(backend);
    return backend;
  }

  it('keeps settings and secrets across a restart with the same data dir', async () => {
    const dataDir = await keptDataDir();
    const first = await start({ dataDir });
    await first.call('settings.set', { key: 'ui.theme', value: 'dark' });
    await first.call('secrets.set', { name: 'openai.api-key', value: 'sk-kept' });
    await first.close();

    const second = await start({ dataDir });
    expect(second.url).not.toBe('');
    expect((await second.call('settings.list', {})).settings['ui.theme']).toBe('dark');
    expect((await second.call('secrets.list', {})).secrets.map((secret) => secret.name)).toEqual(['openai.api-key']);
    expect(await second.backend.store.secrets.get('openai.api-key')).toBe('sk-kept');
    expect(second.backend.store.secretKeySource).toBe('key-file');
  });

  it('refuses to start with a malformed PARLEY_SECRET_KEY, and with a key file others can read', async () => {
    await expect(startTestBackend({ secretKey: 'definitely-not-32-bytes' })).rejects.toThrow(/PARLEY_SECRET_KEY must be 32 bytes/);

    const dataDir = await keptDataDir();
    await (await start({ dataDir })).close();
    chmodSync(join(dataDir, SECRET_KEY_FILE), 0o604);
    await expect(startTestBackend({ dataDir })).rejects.toThrow(/readable by other users \(mode 604\); run: chmod 600/);
  });

  it('refuses to start on a port already taken, and leaves the other backend serving', async () => {
    const running = await start();
    const dataDir = await keptDataDir();
    await expect(startTestBackend({ dataDir, port: running.backend.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect((await running.fetch('/healthz')).status).toBe(200);
    // The failed start closed its store: the data dir holds no lingering WAL.
    expect(readdirSync(dataDir).filter((file) => file.endsWith('-wal'))).toEqual([]);
  });

  it('removes its temporary data dir on close, and close may be called twice', async () => {
    const backend = await startTestBackend();
    const { dataDir } = backend;
    expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['logs', 'parley.sqlite3', SECRET_KEY_FILE]));
    await backend.close();
    await backend.close();
    expect(() => readdirSync(dataDir)).toThrow(/ENOENT/);
  });

  it('serves system.info with the mode, data dir and process', async () => {
    const backend = await start({ mode: 'desktop' });
    const info = await backend.call('system.info', {});
    expect(info).toMatchObject({ name: 'Parley', mode: 'desktop', dataDir: backend.dataDir, pid: process.pid, node: process.version });
    expect(info.uptimeSeconds).toBeGreaterThanOrEqual(0);
    const socket = await backend.openSocket();
    expect((await socket.waitForEvent('system.hello')).mode).toBe('desktop');
  });
});
