import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParleyError } from '#protocol';
import { startBackend, type RunningBackend } from '../../../backend/app';
import { readBackendConfig } from '../../../backend/server';
import { ControlClient, type ConnectionStatus } from '../../../renderer/src/connection/control-client';

// The renderer's client against the real backend, over Node 22's browser-compatible WebSocket.
describe('ControlClient', () => {
  let dataDir: string;
  let backend: RunningBackend;
  let client: ControlClient | undefined;
  const token = 'renderer-client-test-token';

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-client-'));
    backend = await startBackend({ ...readBackendConfig({ PARLEY_TOKEN: token }, undefined), port: 0, webhookPort: 0, dataDir, logLevel: 'warn', mode: 'server' });
  });

  afterEach(async () => {
    client?.stop();
    await backend.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  function connect(withToken = token): ControlClient {
    client = new ControlClient({ resolveEndpoint: async () => ({ url: backend.url, token: withToken }) });
    client.start();
    return client;
  }

  function statusBecomes(target: ControlClient, state: ConnectionStatus['state']): Promise<ConnectionStatus> {
    return new Promise((resolve) => {
      if (target.status.state === state) return resolve(target.status);
      const off = target.onStatus((status) => {
        if (status.state === state) {
          off();
          resolve(status);
        }
      });
    });
  }

  it('connects, learns the backend version and mode, and answers typed requests', async () => {
    const connected = connect();
    const status = await statusBecomes(connected, 'connected');
    expect(status).toMatchObject({ state: 'connected', mode: 'server' });
    const [ping, info] = await Promise.all([connected.request('system.ping', { echo: 'hi' }), connected.request('system.info', {})]);
    expect(ping.echo).toBe('hi');
    expect(info.dataDir).toBe(dataDir);
  });

  it('turns a backend error into a ParleyError with the code and message', async () => {
    const connected = connect();
    await statusBecomes(connected, 'connected');
    const failure = await connected.request('settings.set', { key: 'ui.theme', value: 'neon' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ParleyError);
    expect((failure as ParleyError).code).toBe('invalid_params');
    expect((failure as ParleyError).message).toContain('ui.theme');
  });

  it('rejects at once with a clear error when not connected', async () => {
    client = new ControlClient({ resolveEndpoint: async () => ({ url: backend.url, token }) });
    const failure = await client.request('system.ping', {}).catch((error: unknown) => error);
    expect((failure as ParleyError).code).toBe('unavailable');
  });

  it('rejects an aborted request as cancelled', async () => {
    const connected = connect();
    await statusBecomes(connected, 'connected');
    const abort = new AbortController();
    const pending = connected.request('diagnostics.health', {}, { signal: abort.signal });
    abort.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    // The connection stays usable afterwards.
    await expect(connected.request('system.ping', {})).resolves.toHaveProperty('serverTime');
  });

  it('reports a refused token as unauthorized and does not retry', async () => {
    const refused = connect('a-token-that-is-wrong');
    const status = await statusBecomes(refused, 'unauthorized');
    expect(status).toMatchObject({ reason: expect.stringContaining('token') });
  });

  it('receives the events of the topics it subscribed to', async () => {
    const connected = connect();
    await statusBecomes(connected, 'connected');
    // The subscription goes out ahead of the request made after it.
    connected.subscribe('settings');
    const changed = new Promise((resolve) => connected.on('settings.changed', resolve));
    await connected.request('settings.set', { key: 'ui.theme', value: 'dark' });
    await expect(changed).resolves.toEqual({ key: 'ui.theme', value: 'dark' });
  });

  it('fails in-flight requests and reconnects when the backend restarts', async () => {
    const connected = connect();
    await statusBecomes(connected, 'connected');
    connected.subscribe('settings');
    const port = backend.port;
    const reconnecting = statusBecomes(connected, 'reconnecting');
    await backend.close();
    await expect(reconnecting).resolves.toMatchObject({ state: 'reconnecting' });
    backend = await startBackend({ ...readBackendConfig({ PARLEY_TOKEN: token }, undefined), port, webhookPort: 0, dataDir, logLevel: 'warn', mode: 'server' });
    connected.retryNow();
    await statusBecomes(connected, 'connected');
    await expect(connected.request('system.ping', {})).resolves.toHaveProperty('serverTime');
    // The new socket was subscribed again to the topic held across the restart.
    const changed = new Promise((resolve) => connected.on('settings.changed', resolve));
    await connected.request('settings.set', { key: 'ui.theme', value: 'light' });
    await expect(changed).resolves.toEqual({ key: 'ui.theme', value: 'light' });
  });
});
