import { chmodSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_KEY_FILE } from '../../../../backend/store';
import { startTestBackend, type TestBackend } from '../../../support/backend-harness';

const SECRET_VALUE = 'sk-never-in-the-logs-8f3a1c';

interface LogLine {
  level: number;
  time: number;
  msg: string;
  pid: number;
  [field: string]: unknown;
}

async function readLogLines(dataDir: string): Promise<{ files: string[]; lines: LogLine[]; text: string }> {
  const logDir = join(dataDir, 'logs');
  const files = (await readdir(logDir)).filter((file) => file.endsWith('.log')).sort();
  const text = (await Promise.all(files.map((file) => readFile(join(logDir, file), 'utf8')))).join('');
  const lines = text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as LogLine);
  return { files, lines, text };
}

describe('backend log file', () => {
  const dirs: string[] = [];
  const backends: TestBackend[] = [];
  afterEach(async () => {
    await Promise.all(backends.splice(0).map((backend) => backend.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function start(logLevel: string): Promise<TestBackend> {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-logs-'));
    dirs.push(dataDir);
    const backend = await startTestBackend({ dataDir, logLevel });
    backends.push(backend);
    return backend;
  }

  it('writes JSON lines under <dataDir>/logs, with the requestId of every RPC call at debug level', async () => {
    const backend = await start('debug');
    const socket = await backend.openSocket();
    await socket.waitForEvent('system.hello');
    await socket.request('system.ping', { echo: 'hi' }, { id: 'socket-req-42' });
    await socket.request('secrets.set', { name: 'openai.api-key', value: SECRET_VALUE }, { id: 'socket-secret' });
    const viaHttp = await backend.fetch('/api/rpc/system.info', {
      method: 'POST',
      body: '{}',
      headers: { 'x-request-id': 'http-trace-7' },
    });
    expect(viaHttp.status).toBe(200);
    await backend.call('secrets.set', { name: 'other', value: SECRET_VALUE });
    await backend.close(); // flushes the log

    const { files, lines, text } = await readLogLines(backend.dataDir);
    expect(files.length).toBeGreaterThan(0);
    expect(files[0]).toMatch(/^parley\.\d+\.log$/);
    for (const line of lines) {
      expect(line).toMatchObject({ level: expect.any(Number), time: expect.any(Number), msg: expect.any(String), pid: process.pid });
    }
    expect(lines.find((line) => line.msg === 'backend ready')).toMatchObject({ level: 30, url: backend.url, mode: 'server' });

    const socketLine = lines.find((line) => line.msg === 'socket request' && line.requestId === 'socket-req-42');
    expect(socketLine).toMatchObject({ level: 20, method: 'system.ping', connectionId: expect.any(String) });

    const httpLine = lines.find((line) => line.msg === 'http request' && line.requestId === 'http-trace-7');
    expect(httpLine).toMatchObject({ level: 20, method: 'POST', path: '/api/rpc/system.info', status: 200, ms: expect.any(Number) });

    // Every RPC-bearing HTTP request is logged with some request id.
    const rpcHttpLines = lines.filter((line) => line.msg === 'http request' && String(line.path).startsWith('/api/rpc/'));
    expect(rpcHttpLines.length).toBe(2);
    for (const line of rpcHttpLines) expect(line.requestId).toEqual(expect.any(String));

    expect(lines.some((line) => line.msg === 'backend stopped')).toBe(true);
    expect(text).not.toContain(SECRET_VALUE);
  });

  it('leaves debug lines out at info level', async () => {
    const backend = await start('info');
    await backend.call('system.ping', {});
    await backend.close();
    const { lines } = await readLogLines(backend.dataDir);
    expect(lines.some((line) => line.msg === 'backend ready')).toBe(true);
    expect(lines.some((line) => line.level < 30)).toBe(false);
    expect(lines.some((line) => line.msg === 'http request')).toBe(false);
  });

  it('has every line on disk by the time close() resolves, even right after a start', async () => {
    for (let round = 0; round < 3; round += 1) {
      const backend = await start('info');
      await backend.close();
      const { lines } = await readLogLines(backend.dataDir);
      expect(lines.map((line) => line.msg)).toEqual(['backend ready', 'backend stopping', 'backend stopped']);
    }
  });

  it('leaves the reason in the log when the backend cannot start', async () => {
    const first = await start('info');
    await first.close();
    chmodSync(join(first.dataDir, SECRET_KEY_FILE), 0o644);

    await expect(startTestBackend({ dataDir: first.dataDir, logLevel: 'info' })).rejects.toThrow(/readable by other users/);
    const { lines } = await readLogLines(first.dataDir);
    const fatal = lines.find((line) => line.msg === 'app store could not be opened');
    expect(fatal).toMatchObject({ level: 60, err: { message: expect.stringContaining('chmod 600') } });
  });

  it('appends to the log across restarts with the same data dir', async () => {
    const first = await start('info');
    await first.close();
    const second = await startTestBackend({ dataDir: first.dataDir, logLevel: 'info' });
    backends.push(second);
    await second.close();
    const { lines } = await readLogLines(first.dataDir);
    expect(lines.filter((line) => line.msg === 'backend ready')).toHaveLength(2);
  });
});

describe('diagnostics over the control API', () => {
  let backend: TestBackend | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });

  it('returns recent log entries, newest last, with level names and fields', async () => {
    backend = await startTestBackend({ logLevel: 'debug' });
    await backend.call('system.ping', { echo: 'x' });
    const { entries } = await backend.call('diagnostics.recentLogs', { limit: 1000 });
    expect(entries.length).toBeGreaterThan(1);
    const ready = entries.find((entry) => entry.msg === 'backend ready');
    expect(ready).toMatchObject({ level: 'info', time: expect.any(Number), fields: { url: backend.url, mode: 'server' } });
    expect(ready?.fields).not.toHaveProperty('pid');
    const ping = entries.find((entry) => entry.msg === 'http request' && entry.fields.path === '/api/rpc/system.ping');
    expect(ping).toMatchObject({ level: 'debug', fields: { requestId: expect.any(String), status: 200 } });
    const times = entries.map((entry) => entry.time);
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const last = await backend.call('diagnostics.recentLogs', { limit: 1 });
    expect(last.entries).toHaveLength(1);
    // The newest line at that moment: the log of the previous recentLogs call.
    expect(last.entries[0]).toMatchObject({ msg: 'http request', fields: { path: '/api/rpc/diagnostics.recentLogs' } });
  });

  it('reports health over the socket the same as /healthz', async () => {
    backend = await startTestBackend();
    const socket = await backend.openSocket();
    const health = await socket.call('diagnostics.health', {});
    expect(health.status).toBe('ok');
    expect(Object.keys(health.components).sort()).toEqual(expect.arrayContaining(['control-api', 'store']));
    const viaHttp = (await (await backend.fetch('/healthz', { token: null })).json()) as typeof health;
    expect(Object.keys(viaHttp.components).sort()).toEqual(Object.keys(health.components).sort());
  });
});
