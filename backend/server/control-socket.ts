import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import {
  clientFrameSchema,
  decodeAudioFrame,
  encodeAudioFrame,
  events,
  PROTOCOL_VERSION,
  ParleyError,
  SOCKET_SUBPROTOCOL,
  SocketCloseCode,
  type AudioFrame,
  type EventData,
  type EventName,
  type ServerFrame,
  type WireError,
} from '#protocol';
import { ListenerSet, type Disposable } from '../base';
import type { ConnectionChannel, EventSink } from '../platform/events';
import type { BackendMetrics, Logger } from '../platform/observability';
import { offersParleyProtocol, socketToken, tokensMatch } from './auth';
import type { RpcDispatcher } from './rpc-dispatcher';

export const SOCKET_PATH = '/ws';
const HEARTBEAT_MS = 30_000;
/** ws closes a connection over this with 1009; text frames past maxJsonBytes get an error instead. */
const MIN_HARD_FRAME_BYTES = 4 * 1024 * 1024;

export interface ControlSocketOptions {
  token: string;
  mode: 'desktop' | 'server';
  version: string;
  maxJsonBytes: number;
  /** Runs a request (the RpcDispatcher; indirect so capabilities can be built after the socket server they use). */
  dispatcher: Pick<RpcDispatcher, 'dispatch'>;
  metrics: BackendMetrics;
  logger: Logger;
}

interface Connection {
  id: string;
  socket: WebSocket;
  inFlight: Map<string, AbortController>;
  /** Topics this console asked for (events.subscribe): it receives published events of these only. */
  topics: Set<string>;
  alive: boolean;
}

/** Enough for every panel of a console at once; more is a client bug (or a flood). */
const MAX_TOPICS_PER_CONNECTION = 256;

/**
 * The control API's socket: authenticates, answers requests, honours cancels, and pushes each
 * published event only to the sockets subscribed to its topic.
 */
export class ControlSocketServer implements ConnectionChannel, EventSink {
  private readonly server: WebSocketServer;
  private readonly connections = new Map<string, Connection>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly audioListeners = new ListenerSet<[string, AudioFrame]>();
  private readonly closeListeners = new ListenerSet<[string]>();

  constructor(private readonly options: ControlSocketOptions) {
    this.server = new WebSocketServer({
      noServer: true,
      maxPayload: Math.max(MIN_HARD_FRAME_BYTES, options.maxJsonBytes * 2),
      handleProtocols: (offered) => (offered.has(SOCKET_SUBPROTOCOL) ? SOCKET_SUBPROTOCOL : false),
    });
    this.heartbeat = setInterval(() => this.checkHeartbeats(), HEARTBEAT_MS).unref();
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(request, socket, head, (webSocket) => this.accept(webSocket, request));
  }

  /** Serialised once, sent to every socket subscribed to `topic`. */
  deliver(event: EventName, data: unknown, topic: string): void {
    let text: string | undefined;
    for (const connection of this.connections.values()) {
      if (!connection.topics.has(topic) || connection.socket.readyState !== WebSocket.OPEN) continue;
      text ??= JSON.stringify({ kind: 'event', event, data } satisfies ServerFrame);
      connection.socket.send(text);
    }
  }

  subscribe(connectionId: string | undefined, topics: readonly string[]): string[] {
    const connection = this.socketConnection(connectionId);
    const next = new Set([...connection.topics, ...topics]);
    if (next.size > MAX_TOPICS_PER_CONNECTION) {
      throw new ParleyError('bad_request', `A console may hold at most ${MAX_TOPICS_PER_CONNECTION} topics`, { hint: 'Unsubscribe from topics no panel shows.' });
    }
    connection.topics = next;
    return [...next];
  }

  unsubscribe(connectionId: string | undefined, topics: readonly string[]): string[] {
    const connection = this.socketConnection(connectionId);
    for (const topic of topics) connection.topics.delete(topic);
    return [...connection.topics];
  }

  sendEvent<E extends EventName>(connectionId: string, event: E, data: EventData<E>): void {
    const connection = this.connections.get(connectionId);
    if (connection) this.sendEventFrame(connection, event, data);
  }

  sendAudio(connectionId: string, frame: AudioFrame): void {
    const connection = this.connections.get(connectionId);
    if (connection?.socket.readyState === WebSocket.OPEN) connection.socket.send(encodeAudioFrame(frame), { binary: true });
  }

  onAudioFrame(listener: (connectionId: string, frame: AudioFrame) => void): Disposable {
    return this.audioListeners.add(listener);
  }

  onConnectionClosed(listener: (connectionId: string) => void): Disposable {
    return this.closeListeners.add(listener);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const connection of this.connections.values()) {
      connection.socket.close(SocketCloseCode.shuttingDown, 'Parley backend is shutting down');
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    // Accept, then close with a reason: a refused upgrade reaches the page only as an anonymous 1006.
    if (!tokensMatch(socketToken(request), this.options.token)) {
      this.options.logger.warn({ remote: request.socket.remoteAddress }, 'socket rejected: missing or wrong token');
      socket.close(SocketCloseCode.unauthorized, 'Unauthorized: missing or wrong token');
      return;
    }
    if (!offersParleyProtocol(request)) {
      socket.close(SocketCloseCode.protocolMismatch, `Unsupported protocol: offer "${SOCKET_SUBPROTOCOL}"`);
      return;
    }
    const connection: Connection = { id: randomUUID(), socket, inFlight: new Map(), topics: new Set(), alive: true };
    this.connections.set(connection.id, connection);
    this.options.metrics.socketConnections.set(this.connections.size);
    const log = this.options.logger.child({ connectionId: connection.id });
    log.info('socket connected');

    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('message', (data, isBinary) => this.receive(connection, data, isBinary, log));
    socket.on('error', (error) => log.warn({ err: error }, 'socket error'));
    socket.on('close', (code, reason) => {
      for (const controller of connection.inFlight.values()) controller.abort();
      this.connections.delete(connection.id);
      this.options.metrics.socketConnections.set(this.connections.size);
      this.closeListeners.emit(connection.id);
      log.info({ code, reason: reason.toString() }, 'socket closed');
    });

    this.sendEventFrame(connection, 'system.hello', {
      connectionId: connection.id,
      version: this.options.version,
      mode: this.options.mode,
      protocolVersion: PROTOCOL_VERSION,
    });
  }

  private receive(connection: Connection, data: RawData, isBinary: boolean, log: Logger): void {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary) {
      const frame = decodeAudioFrame(bytes);
      if (!frame) return this.reject(connection, 'bad_request', 'Binary frame is not a valid audio frame');
      if (this.audioListeners.size === 0) return this.reject(connection, 'unavailable', 'No audio stream is open');
      this.audioListeners.emit(connection.id, frame);
      return;
    }
    if (bytes.length > this.options.maxJsonBytes) {
      return this.reject(connection, 'payload_too_large', `Message larger than ${this.options.maxJsonBytes} bytes`);
    }
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      return this.reject(connection, 'bad_request', `Message is not valid JSON: ${(error as Error).message}`);
    }
    const parsed = clientFrameSchema.safeParse(json);
    if (!parsed.success) {
      const id = (json as { id?: unknown } | null)?.id;
      const message = `Not a valid message: ${parsed.error.issues[0]?.message ?? 'unknown shape'} (expected {kind:"request",id,method,params} or {kind:"cancel",id})`;
      if (typeof id === 'string' && id.length > 0 && id.length <= 64) {
        this.options.metrics.rejectedFrames.inc({ reason: 'bad_request' });
        return this.respondError(connection, id, new ParleyError('bad_request', message).toWire());
      }
      return this.reject(connection, 'bad_request', message);
    }
    const frame = parsed.data;
    if (frame.kind === 'cancel') {
      connection.inFlight.get(frame.id)?.abort();
      return;
    }
    if (connection.inFlight.has(frame.id)) {
      return this.respondError(
        connection,
        frame.id,
        new ParleyError('conflict', `Request id "${frame.id}" is already in flight`).toWire(),
      );
    }
    const controller = new AbortController();
    connection.inFlight.set(frame.id, controller);
    log.debug({ requestId: frame.id, method: frame.method }, 'socket request');
    void this.options.dispatcher
      .dispatch(frame.method, frame.params, { signal: controller.signal, requestId: frame.id, connectionId: connection.id })
      .then((outcome) => {
        connection.inFlight.delete(frame.id);
        if (outcome.ok) this.send(connection, { kind: 'response', id: frame.id, ok: true, result: outcome.result });
        else this.respondError(connection, frame.id, outcome.error);
      });
  }

  private socketConnection(connectionId: string | undefined): Connection {
    const connection = connectionId === undefined ? undefined : this.connections.get(connectionId);
    if (!connection) throw new ParleyError('bad_request', 'Events are subscribed to on the control socket, not over HTTP');
    return connection;
  }

  private reject(connection: Connection, code: WireError['code'], message: string): void {
    this.options.metrics.rejectedFrames.inc({ reason: code });
    this.send(connection, { kind: 'notice', error: { code, message } });
  }

  private respondError(connection: Connection, id: string, error: WireError): void {
    this.send(connection, { kind: 'response', id, ok: false, error });
  }

  private sendEventFrame<E extends EventName>(connection: Connection, event: E, data: EventData<E>): void {
    events[event].parse(data);
    this.send(connection, { kind: 'event', event, data });
  }

  private send(connection: Connection, frame: ServerFrame): void {
    if (connection.socket.readyState === WebSocket.OPEN) connection.socket.send(JSON.stringify(frame));
  }

  private checkHeartbeats(): void {
    for (const connection of this.connections.values()) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }
}
