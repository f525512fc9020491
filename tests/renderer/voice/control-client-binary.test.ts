import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AudioFrameKind, encodeAudioFrame, type WireError } from '#protocol';
import { startBackend, type RunningBackend } from '../../../backend/app';
import { readBackendConfig } from '../../../backend/server';
import { ControlClient } from '../../../renderer/src/connection/control-client';

// The two binary additions to the ControlClient that voice needs: sendBinary and onBinary.
describe('ControlClient binary frames', () => {
  let client: ControlClient | undefined;
  let backend: RunningBackend | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    client?.stop();
    await backend?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    client = backend = dataDir = undefined;
  });

  it('sends binary frames the backend receives as binary (it answers a malformed one with a notice)', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-binary-'));
    const token = 'binary-test-token';
    backend = await startBackend({ ...readBackendConfig({ PARLEY_TOKEN: token }, undefined), port: 0, webhookPort: 0, dataDir, logLevel: 'warn', mode: 'server' });
    const url = backend.url;
    client = new ControlClient({ resolveEndpoint: async () => ({ url, token }) });
    expect(client.sendBinary(new Uint8Array(8))).toBe(false);
    const notices: WireError[] = [];
    client.onNotice((error) => notices.push(error));
    const connected = new Promise<void>((resolve) => client!.onStatus((status) => status.state === 'connected' && resolve()));
    client.start();
    await connected;

    const wrongVersion = encodeAudioFrame({ kind: AudioFrameKind.capturePcm, streamId: 1, payload: new Uint8Array(4) });
    wrongVersion[0] = 99;
    expect(client.sendBinary(wrongVersion)).toBe(true);
    await expect.poll(() => notices.map((n) => n.message)).toContain('Binary frame is not a valid audio frame');
  });

  it('hands binary frames from the socket to onBinary listeners as bytes', async () => {
    const fake = fakeSocket();
    client = new ControlClient({ resolveEndpoint: async () => ({ url: 'http://127.0.0.1:1', token: 't' }), createSocket: () => fake as unknown as WebSocket });
    const received: Uint8Array[] = [];
    const off = client.onBinary((bytes) => received.push(bytes));
    client.start();
    await expect.poll(() => fake.onmessage).toBeTypeOf('function');
    expect(fake.binaryType).toBe('arraybuffer');

    fake.onmessage!({ data: Uint8Array.from([1, 2, 0, 0, 7, 0, 0, 0, 9]).buffer });
    expect(received).toHaveLength(1);
    expect([...received[0]!]).toEqual([1, 2, 0, 0, 7, 0, 0, 0, 9]);
    off();
    fake.onmessage!({ data: new ArrayBuffer(8) });
    expect(received).toHaveLength(1);
  });
});

function fakeSocket() {
  return {
    readyState: WebSocket.CONNECTING as number,
    binaryType: 'blob',
    onmessage: null as ((message: { data: unknown }) => void) | null,
    onclose: null as (() => void) | null,
    send: () => undefined,
    close: () => undefined,
  };
}
