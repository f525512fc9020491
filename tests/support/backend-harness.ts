/**
 * Runs the real backend in this process for tests: a real HTTP server on a free loopback port, the
 * real control socket, a real SQLite store and log in a temporary data dir. Nothing is mocked.
 *
 *   const backend = await startTestBackend();
 *   const info = await backend.call('system.info', {});
 *   const socket = await backend.openSocket();
 *   await socket.waitForEvent('system.hello');
 *   await backend.close();
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, type RawData } from 'ws';
import {
  httpStatusForErrorCode,
  ParleyError,
  serverFrameSchema,
  SOCKET_SUBPROTOCOL,
  TOKEN_SUBPROTOCOL_PREFIX,
  wireErrorSchema,
  type ClientFrame,
  type EventData,
  type EventName,
  type MethodName,
  type ParamsOf,
  type ResponseFrame,
  type ResultOf,
  type ServerFrame,
  type WireError,
} from '#protocol';
import { startBackend, type RunningBackend, type StartBackendOptions } from '../../backend/app';
import { readBackendConfig, SOCKET_PATH, type BackendConfig } from '../../backend/server';
import { trackOpenResource } from './left-running';

/** How long a wait for a frame, an event or a close may take before the test fails with a clear message. */
export const DEFAULT_WAIT_MS = 5_000;

export interface TestBackend {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The control socket's URL, e.g. ws://127.0.0.1:41234/ws */
  wsUrl: string;
  token: string;
  dataDir: string;
  /** The config the backend was started with. */
  config: BackendConfig;
  backend: RunningBackend;
  /**
   * `POST /api/rpc/<method>` with the token. Resolves with the result; rejects with a
   * {@link RpcHttpError} (a ParleyError that also carries the HTTP status) when the server answers an error.
   */
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /**
   * A plain fetch against the backend (path relative to `url`). Sends `Authorization: Bearer <token>`
   * unless `token` is given: a string sends that token instead, null sends none.
   */
  fetch(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  /**
   * Opens the control socket offering `parley.v1` and the token subprotocol; resolves once open.
   * `token` undefined uses the backend's token, a string sends that one, null offers no token.
   */
  openSocket(token?: string | null): Promise<ParleySocketClient>;
  /** Closes open sockets and the backend, then removes the data dir unless the caller supplied it. Idempotent. */
  close(): Promise<void>;
}

/** An error answer from `TestBackend.call`, with the status the server sent. */
export class RpcHttpError extends ParleyError {
  constructor(
    readonly status: number,
    wire: WireError,
  ) {
    super(wire.code, wire.message, { hint: wire.hint, details: wire.details });
    this.name = 'RpcHttpError';
  }
}

/**
 * Starts the real backend with `readBackendConfig` defaults for server mode, a free port, a fresh
 * temporary data dir, a random token and log level 'warn', then applies `overrides`. A `dataDir`
 * override is the caller's to keep and remove; the temporary one is removed on close.
 */
export async function startTestBackend(overrides: Partial<BackendConfig> = {}, options: StartBackendOptions = {}): Promise<TestBackend> {
  const ownsDataDir = overrides.dataDir === undefined;
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'parley-test-')));
  const token = overrides.token ?? randomBytes(24).toString('base64url');
  const config: BackendConfig = {
    ...readBackendConfig(
      { PARLEY_MODE: 'server', PARLEY_PORT: '0', PARLEY_WEBHOOK_PORT: '0', PARLEY_TOKEN: token, PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'warn' },
      undefined,
    ),
    ...overrides,
  };

  let backend: RunningBackend;
  try {
    backend = await startBackend(config, options);
  } catch (error) {
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const url = backend.url;
  const wsUrl = `${url.replace(/^http/, 'ws')}${SOCKET_PATH}`;
  const sockets = new Set<ParleySocketClient>();

  const fetchBackend: TestBackend['fetch'] = (path, init = {}) => {
    const { token: given, ...rest } = init;
    const headers = new Headers(rest.headers);
    const sent = given === undefined ? token : given;
    if (sent !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${sent}`);
    return fetch(new URL(path, url), { ...rest, headers });
  };

  let closing: Promise<void> | undefined;
  const testBackend: TestBackend = {
    url,
    wsUrl,
    token,
    dataDir,
    config,
    backend,
    call: async <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> => {
      const response = await fetchBackend(`/api/rpc/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
      });
      return readRpcAnswer<M>(response);
    },
    fetch: fetchBackend,
    openSocket: async (socketToken) => {
      const client = await connectParleySocket(wsUrl, socketToken === undefined ? token : socketToken);
      sockets.add(client);
      void client.closed.then(() => sockets.delete(client));
      return client;
    },
    close: () =>
      (closing ??= (async () => {
        await Promise.all([...sockets].map((socket) => socket.close()));
        await backend.close();
        if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
      })().finally(untrack)),
  };
  // A suite whose setup fails after this has no handle to close it with: the after-file cleanup does.
  const untrack = trackOpenResource(() => testBackend.close());
  return testBackend;
}

async function readRpcAnswer<M extends MethodName>(response: Response): Promise<ResultOf<M>> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (response.ok) return (body as { result: ResultOf<M> }).result;
  const wire = wireErrorSchema.safeParse((body as { error?: unknown } | null)?.error);
  if (!wire.success) throw new Error(`HTTP ${response.status} without a protocol error body: ${text.slice(0, 200)}`);
  if (httpStatusForErrorCode[wire.data.code] !== response.status) {
    throw new Error(`HTTP ${response.status} does not match error code ${wire.data.code}`);
  }
  throw new RpcHttpError(response.status, wire.data);
}

// ---------------------------------------------------------------------------------------------
// The control socket client
// ---------------------------------------------------------------------------------------------

export interface SocketClosed {
  code: number;
  reason: string;
}

/** A small control-socket client: every frame the server sends is parsed against the protocol and queued. */
export interface ParleySocketClient {
  readonly socket: WebSocket;
  /** Every text frame received so far, in order (consumed or not). */
  readonly frames: readonly ServerFrame[];
  /** Binary frames received so far. */
  readonly binaryFrames: readonly Buffer[];
  /** Resolves when the socket closes, with the server's code and reason. */
  readonly closed: Promise<SocketClosed>;
  /** A fresh request id, unique on this client. */
  nextId(): string;
  /** Sends a request frame (id generated unless given) and resolves with its response frame, ok or not. */
  request(method: string, params?: unknown, options?: { id?: string; timeoutMs?: number }): Promise<ResponseFrame>;
  /** Typed request: the result, or a rejected ParleyError carrying the wire error. */
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  cancel(id: string): void;
  /** Sends anything as-is: a frame object as JSON, a string as a text frame, bytes as a binary frame. */
  send(data: ClientFrame | string | Uint8Array): void;
  /** The next frame not yet taken by another wait, in arrival order. */
  nextFrame(timeoutMs?: number): Promise<ServerFrame>;
  /** The first frame not yet taken that matches; waits for one if none has arrived. */
  waitForFrame(match: (frame: ServerFrame) => boolean, description: string, timeoutMs?: number): Promise<ServerFrame>;
  waitForResponse(id: string, timeoutMs?: number): Promise<ResponseFrame>;
  waitForEvent<E extends EventName>(event: E, timeoutMs?: number): Promise<EventData<E>>;
  waitForNotice(timeoutMs?: number): Promise<WireError>;
  /** Resolves with the close code and reason, or fails after `timeoutMs`. */
  waitForClose(timeoutMs?: number): Promise<SocketClosed>;
  /** Closes from the client side (1000) and waits for the close to complete. */
  close(): Promise<void>;
}

interface Waiter {
  match: (frame: ServerFrame) => boolean;
  resolve: (frame: ServerFrame) => void;
  reject: (error: Error) => void;
}

/** Connects to a control socket at `wsUrl`; `token` null offers no token. Resolves once the socket is open. */
export async function connectParleySocket(wsUrl: string, token: string | null): Promise<ParleySocketClient> {
  const protocols = token === null ? [SOCKET_SUBPROTOCOL] : [SOCKET_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + token];
  const socket = new WebSocket(wsUrl, protocols);
  const frames: ServerFrame[] = [];
  const binaryFrames: Buffer[] = [];
  const unclaimed: ServerFrame[] = [];
  const waiters = new Set<Waiter>();
  let closedWith: SocketClosed | undefined;
  let counter = 0;

  const closed = new Promise<SocketClosed>((resolve) => {
    socket.on('close', (code, reason) => {
      closedWith = { code, reason: reason.toString() };
      for (const waiter of waiters) {
        waiter.reject(new Error(`socket closed (${code} ${closedWith.reason}) while waiting`));
      }
      waiters.clear();
      resolve(closedWith);
    });
  });

  socket.on('message', (data: RawData, isBinary: boolean) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary) {
      binaryFrames.push(bytes);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      json = undefined;
    }
    const parsed = serverFrameSchema.safeParse(json);
    if (!parsed.success) {
      const error = new Error(`server sent a frame outside the protocol: ${bytes.toString('utf8').slice(0, 300)}`);
      for (const waiter of waiters) waiter.reject(error);
      waiters.clear();
      return;
    }
    const frame = parsed.data;
    frames.push(frame);
    for (const waiter of waiters) {
      if (waiter.match(frame)) {
        waiters.delete(waiter);
        waiter.resolve(frame);
        return;
      }
    }
    unclaimed.push(frame);
  });

  // Errors after the handshake (a reset, a frame ws refuses) surface as the close code; keep them from crashing the run.
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`socket upgrade refused with HTTP ${response.statusCode}`)),
    );
  });

  const waitForFrame = (match: (frame: ServerFrame) => boolean, description: string, timeoutMs = DEFAULT_WAIT_MS) => {
    const index = unclaimed.findIndex(match);
    if (index >= 0) return Promise.resolve(unclaimed.splice(index, 1)[0] as ServerFrame);
    if (closedWith) {
      return Promise.reject(new Error(`socket closed (${closedWith.code} ${closedWith.reason}) before ${description}`));
    }
    return new Promise<ServerFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no ${description} within ${timeoutMs} ms; frames so far: ${JSON.stringify(frames).slice(0, 1000)}`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      waiters.add(waiter);
    });
  };

  const waitForResponse = async (id: string, timeoutMs?: number) =>
    (await waitForFrame((frame) => frame.kind === 'response' && frame.id === id, `response to "${id}"`, timeoutMs)) as ResponseFrame;

  const send = (data: ClientFrame | string | Uint8Array) => {
    if (typeof data === 'string' || data instanceof Uint8Array) socket.send(data);
    else socket.send(JSON.stringify(data));
  };

  const request = (method: string, params?: unknown, options: { id?: string; timeoutMs?: number } = {}) => {
    const id = options.id ?? `r${++counter}`;
    const response = waitForResponse(id, options.timeoutMs);
    send({ kind: 'request', id, method, params });
    return response;
  };

  return {
    socket,
    frames,
    binaryFrames,
    closed,
    nextId: () => `r${++counter}`,
    request,
    call: async <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> => {
      const response = await request(method, params);
      if (!response.ok) throw ParleyError.fromWire(response.error);
      return response.result as ResultOf<M>;
    },
    cancel: (id) => send({ kind: 'cancel', id }),
    send,
    nextFrame: (timeoutMs) => waitForFrame(() => true, 'frame', timeoutMs),
    waitForFrame,
    waitForResponse,
    waitForEvent: async <E extends EventName>(event: E, timeoutMs?: number) => {
      const frame = await waitForFrame((candidate) => candidate.kind === 'event' && candidate.event === event, `event ${event}`, timeoutMs);
      return (frame as Extract<ServerFrame, { kind: 'event' }>).data as EventData<E>;
    },
    waitForNotice: async (timeoutMs) => {
      const frame = await waitForFrame((candidate) => candidate.kind === 'notice', 'notice', timeoutMs);
      return (frame as Extract<ServerFrame, { kind: 'notice' }>).error;
    },
    waitForClose: (timeoutMs = DEFAULT_WAIT_MS) =>
      Promise.race([
        closed,
        new Promise<never>((_resolve, reject) =>
          setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs).unref(),
        ),
      ]),
    close: async () => {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close(1000);
      await closed;
    },
  };
}

/** Asserts a response frame failed and returns its wire error, for `expect(...)` chains. */
export function responseError(frame: ResponseFrame): WireError {
  if (frame.ok) throw new Error(`expected an error response, got ${JSON.stringify(frame)}`);
  return frame.error;
}

/** Reads the error body of a control-API HTTP answer; fails when it is not `{ error: WireError }`. */
export async function httpError(response: Response): Promise<WireError & { status: number }> {
  const body = (await response.json()) as { error?: unknown };
  return { ...wireErrorSchema.parse(body.error), status: response.status };
}
