import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AudioFrameKind,
  encodeAudioFrame,
  methods,
  ParleyError,
  PROTOCOL_VERSION,
  SOCKET_SUBPROTOCOL,
  SocketCloseCode,
  type HandlerContext,
  type MethodHandlers,
} from '#protocol';
import { BackendMetrics } from '../../../backend/platform/observability';
import { ControlSocketServer, PARLEY_VERSION, RpcDispatcher, SOCKET_PATH, type AnyMethodHandler } from '../../../backend/server';
import {
  connectParleySocket,
  responseError,
  startTestBackend,
  type ParleySocketClient,
  type TestBackend,
} from '../../support/backend-harness';

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('control socket on the real backend', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startTestBackend({ maxJsonBytes: 2048 });
  });
  afterAll(async () => {
    await backend?.close();
  });

  async function helloSocket(): Promise<ParleySocketClient> {
    const socket = await backend.openSocket();
    await socket.waitForEvent('system.hello');
    return socket;
  }

  it('closes a socket that offers no token with 4401 and says why', async () => {
    const socket = await backend.openSocket(null);
    const closed = await socket.waitForClose();
    expect(closed.code).toBe(SocketCloseCode.unauthorized);
    expect(closed.reason).toMatch(/token/i);
    expect(socket.frames).toEqual([]);
  });

  it('closes a socket with a wrong token with 4401 and sends it nothing', async () => {
    for (const token of [`${backend.token}x`, 'x'.repeat(32), backend.token.toUpperCase()]) {
      const socket = await backend.openSocket(token);
      const closed = await socket.waitForClose();
      expect(closed.code).toBe(4401);
      expect(closed.reason).toBe('Unauthorized: missing or wrong token');
      expect(socket.frames).toEqual([]);
    }
  });

  it('accepts the token as a bearer header too, but wants the parley.v1 subprotocol', async () => {
    const headers = { authorization: `Bearer ${backend.token}` };
    const withProtocol = new WebSocket(backend.wsUrl, [SOCKET_SUBPROTOCOL], { headers });
    const first = await new Promise<string>((resolve, reject) => {
      withProtocol.once('message', (data) => resolve(data.toString()));
      withProtocol.once('error', reject);
    });
    expect(withProtocol.protocol).toBe(SOCKET_SUBPROTOCOL);
    expect(JSON.parse(first)).toMatchObject({ kind: 'event', event: 'system.hello' });
    withProtocol.close();

    const withoutProtocol = new WebSocket(backend.wsUrl, { headers });
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      withoutProtocol.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    expect(closed.code).toBe(SocketCloseCode.protocolMismatch);
    expect(closed.reason).toContain(SOCKET_SUBPROTOCOL);
  });

  it('refuses the upgrade on any other path', async () => {
    await expect(connectParleySocket(backend.wsUrl.replace(/\/ws$/, '/other'), backend.token)).rejects.toThrow();
  });

  it('sends system.hello as the first frame of an authenticated socket', async () => {
    const socket = await backend.openSocket();
    expect(socket.socket.protocol).toBe(SOCKET_SUBPROTOCOL);
    const first = await socket.nextFrame();
    expect(first).toEqual({
      kind: 'event',
      event: 'system.hello',
      data: { connectionId: expect.stringMatching(/^[0-9a-f-]{36}$/), version: PARLEY_VERSION, mode: 'server', protocolVersion: PROTOCOL_VERSION },
    });
    const other = await backend.openSocket();
    const otherHello = await other.waitForEvent('system.hello');
    expect(otherHello.connectionId).not.toBe((first as { data: { connectionId: string } }).data.connectionId);
  });

  it('matches responses to requests by id when many are in flight at once', async () => {
    const socket = await helloSocket();
    const echoes = Array.from({ length: 20 }, (_, index) => `echo-${index}-${randomBytes(4).toString('hex')}`);
    const [pings, info, settings, health] = await Promise.all([
      Promise.all(echoes.map((echo, index) => socket.request('system.ping', { echo }, { id: `ping-${index}` }))),
      socket.request('system.info', {}, { id: 'info' }),
      socket.request('settings.list', {}, { id: 'settings' }),
      socket.request('diagnostics.health', {}, { id: 'health' }),
    ]);
    pings.forEach((response, index) => {
      expect(response.id).toBe(`ping-${index}`);
      expect(response.ok && (response.result as { echo: string }).echo).toBe(echoes[index]);
    });
    expect(info).toMatchObject({ id: 'info', ok: true, result: { name: 'Parley', dataDir: backend.dataDir } });
    expect(settings).toMatchObject({ id: 'settings', ok: true, result: { settings: { 'ui.theme': expect.any(String) } } });
    expect(health).toMatchObject({ id: 'health', ok: true, result: { status: 'ok' } });
    // Exactly one response per request, nothing else.
    const responses = socket.frames.filter((frame) => frame.kind === 'response');
    expect(responses).toHaveLength(23);
    expect(new Set(responses.map((frame) => (frame as { id: string }).id)).size).toBe(23);
  });

  it('lets an id be used again once its request is answered', async () => {
    const socket = await helloSocket();
    for (const echo of ['first', 'second', 'third']) {
      const response = await socket.request('system.ping', { echo }, { id: 'same-id' });
      expect(response).toMatchObject({ id: 'same-id', ok: true, result: { echo } });
    }
  });

  it('answers malformed JSON with a bad_request notice and stays usable', async () => {
    const socket = await helloSocket();
    socket.send('{"kind":"request","id":');
    const notice = await socket.waitForNotice();
    expect(notice.code).toBe('bad_request');
    expect(notice.message).toMatch(/^Message is not valid JSON/);
    expect(await socket.call('system.ping', { echo: 'after garbage' })).toMatchObject({ echo: 'after garbage' });
    expect(socket.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('answers a frame with an id but a bad shape with an error response for that id', async () => {
    const socket = await helloSocket();
    socket.send(JSON.stringify({ kind: 'request', id: 'shape-1', method: 42 }));
    socket.send(JSON.stringify({ kind: 'subscribe', id: 'shape-2' }));
    socket.send(JSON.stringify({ kind: 'request', id: 'shape-3' }));
    for (const id of ['shape-1', 'shape-2', 'shape-3']) {
      const error = responseError(await socket.waitForResponse(id));
      expect(error.code, id).toBe('bad_request');
      expect(error.message, id).toMatch(/^Not a valid message: .*expected \{kind:"request",id,method,params\}/);
    }
    // Without a usable id there is nothing to answer to: a notice instead.
    socket.send(JSON.stringify({ kind: 'request', method: 'system.ping' }));
    socket.send(JSON.stringify([1, 2, 3]));
    socket.send('null');
    for (let count = 0; count < 3; count += 1) expect((await socket.waitForNotice()).code).toBe('bad_request');
    expect(await socket.call('system.ping', {})).toMatchObject({ serverTime: expect.any(Number) });
  });

  it('answers an unknown method with unknown_method and bad params with invalid_params', async () => {
    const socket = await helloSocket();
    const unknown = responseError(await socket.request('system.reboot', {}));
    expect(unknown).toMatchObject({ code: 'unknown_method', message: 'Unknown method "system.reboot"' });

    const invalid = responseError(await socket.request('system.ping', { echo: ['not', 'a', 'string'] }));
    expect(invalid.code).toBe('invalid_params');
    expect(invalid.message).toMatch(/^Invalid params for system\.ping: echo: /);

    const badSetting = responseError(await socket.request('settings.set', { key: 'ui.theme', value: 'purple' }));
    expect(badSetting).toMatchObject({ code: 'invalid_params', message: 'Invalid value for setting ui.theme' });

    await expect(socket.call('secrets.set', { name: 'UPPER', value: 'v' })).rejects.toMatchObject({ code: 'invalid_params' });
  });

  it('answers an oversized text frame with a payload_too_large notice and stays usable', async () => {
    const socket = await helloSocket();
    socket.send(JSON.stringify({ kind: 'request', id: 'big', method: 'system.ping', params: { echo: 'x'.repeat(3000) } }));
    const notice = await socket.waitForNotice();
    expect(notice).toMatchObject({ code: 'payload_too_large', message: 'Message larger than 2048 bytes' });
    expect(socket.frames.some((frame) => frame.kind === 'response' && frame.id === 'big')).toBe(false);
    expect(await socket.call('system.ping', { echo: 'small' })).toMatchObject({ echo: 'small' });
  });

  it('drops a socket that sends a frame beyond the hard limit with 1009', async () => {
    const socket = await helloSocket();
    socket.send('x'.repeat(4 * 1024 * 1024 + 1));
    const closed = await socket.waitForClose(10_000);
    expect(closed.code).toBe(1009);
    // The backend goes on serving everyone else.
    expect((await backend.call('system.ping', { echo: 'alive' })).echo).toBe('alive');
  });

  it('answers binary frames that are not audio with a bad_request notice, and drops audio for a stream that is not open', async () => {
    const socket = await helloSocket();
    socket.send(new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
    expect(await socket.waitForNotice()).toMatchObject({ code: 'bad_request', message: 'Binary frame is not a valid audio frame' });

    // Frames still in flight after voice.stop are expected: dropped without a word (tests/backend/speech covers open streams).
    socket.send(encodeAudioFrame({ kind: AudioFrameKind.capturePcm, streamId: 1, payload: new Uint8Array(320) }));
    expect(await socket.call('system.ping', { echo: 'still open' })).toMatchObject({ echo: 'still open' });
    expect(socket.frames.filter((frame) => frame.kind === 'notice')).toHaveLength(1);
  });

  it('answers a request cancelled at once exactly once, either with its result or with cancelled', async () => {
    const socket = await helloSocket();
    for (let round = 0; round < 10; round += 1) {
      const id = `race-${round}`;
      const response = socket.request('diagnostics.health', {}, { id });
      socket.cancel(id);
      const answer = await response;
      if (!answer.ok) expect(answer.error.code).toBe('cancelled');
      else expect(answer.result).toMatchObject({ status: 'ok' });
    }
    // A cancel for an id that is not in flight is ignored.
    socket.cancel('never-sent');
    expect(await socket.call('system.ping', { echo: 'after cancels' })).toMatchObject({ echo: 'after cancels' });
    await delay(50);
    const ids = socket.frames.filter((frame) => frame.kind === 'response').map((frame) => (frame as { id: string }).id);
    expect(ids.filter((id) => id.startsWith('race-'))).toHaveLength(10);
    expect(socket.frames.some((frame) => frame.kind === 'notice')).toBe(false);
  });

  it('publishes settings.changed to every socket subscribed to settings, over the socket or HTTP, and to no other', async () => {
    const writer = await helloSocket();
    const watcher = await helloSocket();
    const bystander = await helloSocket();
    expect(await writer.call('events.subscribe', { topics: ['settings'] })).toEqual({ topics: ['settings'] });
    await watcher.call('events.subscribe', { topics: ['settings', 'conversations'] });

    await writer.call('settings.set', { key: 'ui.theme', value: 'dark' });
    expect(await watcher.waitForEvent('settings.changed')).toEqual({ key: 'ui.theme', value: 'dark' });
    expect(await writer.waitForEvent('settings.changed')).toEqual({ key: 'ui.theme', value: 'dark' });

    await backend.call('settings.set', { key: 'logging.level', value: 'warn' });
    expect(await watcher.waitForEvent('settings.changed')).toEqual({ key: 'logging.level', value: 'warn' });

    // A refused value changes nothing and tells no one.
    responseError(await writer.request('settings.set', { key: 'ui.theme', value: 'purple' }));
    // Unsubscribed: the writer hears no more of settings.
    expect(await writer.call('events.unsubscribe', { topics: ['settings'] })).toEqual({ topics: [] });
    await backend.call('settings.set', { key: 'ui.theme', value: 'light' });
    expect(await watcher.waitForEvent('settings.changed')).toEqual({ key: 'ui.theme', value: 'light' });
    await writer.call('system.ping', {});
    await bystander.call('system.ping', {});
    expect(watcher.frames.filter((frame) => frame.kind === 'event' && frame.event === 'settings.changed')).toHaveLength(3);
    expect(writer.frames.filter((frame) => frame.kind === 'event' && frame.event === 'settings.changed')).toHaveLength(2);
    expect(bystander.frames.filter((frame) => frame.kind === 'event' && frame.event !== 'system.hello')).toEqual([]);
  });

  it('refuses subscriptions over HTTP and topics that are not topics', async () => {
    await expect(backend.call('events.subscribe', { topics: ['settings'] })).rejects.toMatchObject({ code: 'bad_request', message: /socket/ });
    const socket = await helloSocket();
    const bad = responseError(await socket.request('events.subscribe', { topics: ['Not A Topic!'] }));
    expect(bad).toMatchObject({ code: 'invalid_params', message: /topic/ });
  });

  it('counts open sockets in the health report and the metrics, rejected ones not included', async () => {
    const own = await startTestBackend();
    try {
      const sockets = await Promise.all([own.openSocket(), own.openSocket(), own.openSocket()]);
      await Promise.all(sockets.map((socket) => socket.waitForEvent('system.hello')));
      await (await own.openSocket('wrong-token-wrong-token')).waitForClose();
      const health = await own.call('diagnostics.health', {});
      expect(health.components['control-api']?.detail).toBe('3 socket(s) connected');
      expect(await (await own.fetch('/metrics')).text()).toMatch(/^parley_socket_connections 3$/m);
      await sockets[0]?.close();
      await expect
        .poll(async () => (await (await own.fetch('/metrics')).text()).match(/^parley_socket_connections (\d+)$/m)?.[1])
        .toBe('2');
    } finally {
      await own.close();
    }
  });

  it('closes every socket with 4503 when the backend shuts down', async () => {
    const own = await startTestBackend();
    try {
      const sockets = [await own.openSocket(), await own.openSocket()];
      await Promise.all(sockets.map((socket) => socket.waitForEvent('system.hello')));
      await own.backend.close();
      for (const socket of sockets) {
        const closed = await socket.waitForClose();
        expect(closed.code).toBe(SocketCloseCode.shuttingDown);
        expect(closed.reason).toBe('Parley backend is shutting down');
      }
      await expect(fetch(`${own.url}/healthz`)).rejects.toThrow();
    } finally {
      await own.close();
    }
  });
});

// -------------------------------------------------------------------------------------------------
// The real socket server with handlers the test controls: the product has no slow method, and tests
// must not add one to it, so in-flight behaviour (cancel, duplicate ids, order) is driven from here.
// -------------------------------------------------------------------------------------------------

interface Held {
  context: HandlerContext;
  release: (echo: string) => void;
}

interface ScriptedSocketServer {
  wsUrl: string;
  token: string;
  /** Requests whose `system.ping` echo starts with "hold:", by echo, until released. */
  held: Map<string, Held>;
  waitUntilHeld(echo: string): Promise<Held>;
  close(): Promise<void>;
}

function silentLogger() {
  return pino({ level: 'debug' }, new Writable({ write: (_chunk, _encoding, done) => done() }));
}

async function startScriptedSocketServer(): Promise<ScriptedSocketServer> {
  const token = randomBytes(24).toString('base64url');
  const held = new Map<string, Held>();
  const heldWaiters = new Map<string, (entry: Held) => void>();
  const notWired = Object.fromEntries(
    Object.keys(methods).map((name) => [name, () => Promise.reject(new ParleyError('unavailable', `${name} is not wired here`))]),
  );
  const ping: MethodHandlers<'system.ping'>['system.ping'] = ({ echo }, context) => {
    if (!echo?.startsWith('hold:')) return { echo, serverTime: Date.now() };
    // Ignores the signal on purpose: cancelling must answer even when a handler does not listen.
    return new Promise((resolve) => {
      const entry: Held = { context, release: (text) => resolve({ echo: text, serverTime: Date.now() }) };
      held.set(echo, entry);
      heldWaiters.get(echo)?.(entry);
    });
  };
  const handlers = { ...notWired, 'system.ping': ping };
  const logger = silentLogger();
  const metrics = new BackendMetrics();
  const socketServer = new ControlSocketServer({
    token,
    mode: 'server',
    version: 'test',
    maxJsonBytes: 64 * 1024,
    dispatcher: new RpcDispatcher(methods, handlers as Record<string, AnyMethodHandler>, logger, metrics),
    metrics,
    logger,
  });
  const httpServer: Server = createServer((_request, response) => response.writeHead(404).end());
  httpServer.on('upgrade', (request, socket, head) => socketServer.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    wsUrl: `ws://127.0.0.1:${port}${SOCKET_PATH}`,
    token,
    held,
    waitUntilHeld: (echo) => {
      const entry = held.get(echo);
      if (entry) return Promise.resolve(entry);
      return new Promise((resolve) => heldWaiters.set(echo, resolve));
    },
    close: async () => {
      await socketServer.close();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
}

describe('control socket with requests in flight', () => {
  let server: ScriptedSocketServer;
  const clients: ParleySocketClient[] = [];
  beforeAll(async () => {
    server = await startScriptedSocketServer();
  });
  afterEach(async () => {
    for (const entry of server.held.values()) entry.release('released by cleanup');
    server.held.clear();
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(async () => {
    await server?.close();
  });

  async function connect(): Promise<ParleySocketClient> {
    const client = await connectParleySocket(server.wsUrl, server.token);
    clients.push(client);
    await client.waitForEvent('system.hello');
    return client;
  }

  it('answers out of order: a quick request is not stuck behind a slow one', async () => {
    const socket = await connect();
    const slow = socket.request('system.ping', { echo: 'hold:slow' }, { id: 'slow' });
    await server.waitUntilHeld('hold:slow');
    const quick = await socket.request('system.ping', { echo: 'quick' }, { id: 'quick' });
    expect(quick).toMatchObject({ id: 'quick', ok: true, result: { echo: 'quick' } });

    server.held.get('hold:slow')?.release('slow done');
    expect(await slow).toMatchObject({ id: 'slow', ok: true, result: { echo: 'slow done' } });
    const order = socket.frames.filter((frame) => frame.kind === 'response').map((frame) => (frame as { id: string }).id);
    expect(order).toEqual(['quick', 'slow']);
  });

  it('refuses a second request with the id of one still in flight with conflict, and leaves the first alone', async () => {
    const socket = await connect();
    const first = socket.request('system.ping', { echo: 'hold:dup' }, { id: 'dup' });
    await server.waitUntilHeld('hold:dup');
    socket.send({ kind: 'request', id: 'dup', method: 'system.ping', params: { echo: 'second' } });
    // The first answer for "dup" is the refusal of the second request; the first is still held.
    expect(responseError(await first)).toEqual({ code: 'conflict', message: 'Request id "dup" is already in flight' });
    expect(server.held.has('hold:dup')).toBe(true);

    server.held.get('hold:dup')?.release('first done');
    expect(await socket.waitForResponse('dup')).toMatchObject({ id: 'dup', ok: true, result: { echo: 'first done' } });
  });

  it('answers a cancelled request with cancelled at once, even though its handler ignores the signal', async () => {
    const socket = await connect();
    const response = socket.request('system.ping', { echo: 'hold:cancel-me' }, { id: 'cancel-me' });
    const entry = await server.waitUntilHeld('hold:cancel-me');
    expect(entry.context).toMatchObject({ requestId: 'cancel-me', connectionId: expect.any(String) });
    expect(entry.context.signal.aborted).toBe(false);

    const started = performance.now();
    socket.cancel('cancel-me');
    const answer = await response;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(responseError(answer)).toMatchObject({ code: 'cancelled', message: 'Request cancelled' });
    expect(entry.context.signal.aborted).toBe(true);

    // The handler finishing later sends nothing more, and the id is free again.
    entry.release('too late');
    await delay(50);
    expect(socket.frames.filter((frame) => frame.kind === 'response' && frame.id === 'cancel-me')).toHaveLength(1);
    expect(await socket.request('system.ping', { echo: 'reuse' }, { id: 'cancel-me' })).toMatchObject({ ok: true });
  });

  it('aborts the handlers of a socket that goes away', async () => {
    const socket = await connect();
    void socket.request('system.ping', { echo: 'hold:orphan' }, { id: 'orphan' }).catch(() => {});
    const entry = await server.waitUntilHeld('hold:orphan');
    await socket.close();
    await expect.poll(() => entry.context.signal.aborted, { timeout: 2000 }).toBe(true);
  });

  it('tells each socket only about its own requests', async () => {
    const a = await connect();
    const b = await connect();
    const fromA = a.request('system.ping', { echo: 'hold:shared-id' }, { id: 'shared' });
    await server.waitUntilHeld('hold:shared-id');
    // The same id on another socket is no conflict.
    expect(await b.request('system.ping', { echo: 'from b' }, { id: 'shared' })).toMatchObject({ ok: true, result: { echo: 'from b' } });
    server.held.get('hold:shared-id')?.release('from a');
    expect(await fromA).toMatchObject({ ok: true, result: { echo: 'from a' } });
    expect(b.frames.filter((frame) => frame.kind === 'response')).toHaveLength(1);
  });
});
