import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods, SOCKET_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '#protocol';
import { productCapabilities } from '../../../backend/app';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { THROWAWAY_HOOK_SECRET, throwawayCapability, throwawayMethods } from '../app/throwaway-capability';

describe('the public listener (webhooks)', () => {
  let backend: TestBackend;
  let publicUrl: string;
  let staticDir: string;
  beforeAll(async () => {
    staticDir = await mkdtemp(join(tmpdir(), 'parley-console-'));
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Parley</title>');
    backend = await startTestBackend(
      { staticDir },
      { capabilities: (agent) => [...productCapabilities(agent), throwawayCapability], methods: { ...methods, ...throwawayMethods } },
    );
    publicUrl = backend.backend.publicUrl!;
  });
  afterAll(async () => {
    await backend?.close();
    await rm(staticDir, { recursive: true, force: true });
  });

  it('listens on its own loopback port, apart from the control API', () => {
    expect(publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(publicUrl).not.toBe(backend.url);
  });

  it('answers /healthz without a token', async () => {
    const response = await fetch(`${publicUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: expect.any(String), components: { 'public-listener': { ready: true } } });
  });

  it.each([
    ['GET', '/'],
    ['GET', '/index.html'],
    ['GET', '/metrics'],
    ['POST', '/api/rpc/system.info'],
    ['POST', '/api/rpc/settings.list'],
    ['GET', '/v1/models'],
    ['POST', '/v1/chat/completions'],
    ['POST', '/v1/audio/transcriptions'],
    ['GET', '/ws'],
  ])('is 404 for %s %s of the control API or the console, even with the token', async (method, path) => {
    const withToken = await fetch(`${publicUrl}${path}`, { method, headers: { authorization: `Bearer ${backend.token}` }, ...(method === 'POST' ? { body: '{}' } : {}) });
    expect(withToken.status).toBe(404);
    // The same paths do exist on the control listener: the 404 is the listener's doing.
    if (path !== '/ws') expect((await backend.fetch(path, { method, ...(method === 'POST' ? { body: '{}' } : {}) })).status).not.toBe(404);
  });

  it('refuses a WebSocket upgrade to /ws', async () => {
    const socket = new WebSocket(`${publicUrl.replace('http', 'ws')}/ws`, [SOCKET_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${backend.token}`]);
    const outcome = await new Promise<string>((resolve) => {
      socket.on('open', () => resolve('open'));
      socket.on('unexpected-response', (_request, response) => resolve(`http ${response.statusCode}`));
      socket.on('error', (error) => resolve(`error ${error.message}`));
    });
    socket.terminate();
    expect(outcome).not.toBe('open');
  });

  it('answers 413 to a body over the route limit, before reading it all, and stores nothing', async () => {
    const body = JSON.stringify({ text: 'x'.repeat(10_000) });
    const signature = createHmac('sha256', THROWAWAY_HOOK_SECRET).update(body).digest('hex');
    const response = await fetch(`${publicUrl}/hooks/throwaway`, { method: 'POST', headers: { 'x-signature': signature }, body });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    const health = (await (await fetch(`${publicUrl}/healthz`)).json()) as { components: { throwaway: { detail: string } } };
    expect(health.components.throwaway.detail).toBe('0 note(s)');
  });

  it('answers 413 to a chunked body that grows past the limit', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 10; index++) controller.enqueue(new Uint8Array(1024).fill(32));
        controller.close();
      },
    });
    const response = await fetch(`${publicUrl}/hooks/throwaway`, { method: 'POST', body: chunks, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
  });
});
