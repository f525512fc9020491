import type { z } from 'zod';
import {
  events,
  isEventName,
  methods,
  ParleyError,
  serverFrameSchema,
  SOCKET_SUBPROTOCOL,
  SocketCloseCode,
  TOKEN_SUBPROTOCOL_PREFIX,
  TOPIC_PATTERN,
  type EventData,
  type EventName,
  type MethodName,
  type ParamsOf,
  type ResultOf,
  type WireError,
} from '#protocol';
import type { BackendEndpoint } from '../../../preload/api';
import { reconnectDelayMs } from './backoff';
import { socketUrl } from './endpoint';

export type ConnectionStatus =
  | { state: 'idle' }
  | { state: 'connecting'; attempt: number }
  | { state: 'connected'; connectionId: string; version: string; mode: 'desktop' | 'server' }
  | { state: 'reconnecting'; attempt: number; retryAt: number; reason: string }
  | { state: 'unauthorized'; reason: string };

interface PendingRequest {
  method: MethodName;
  resolve(result: unknown): void;
  reject(error: ParleyError): void;
  cleanup(): void;
}

/** Status reason when the web console has no token yet (as opposed to a refused one). */
export const NO_TOKEN_REASON = 'No token yet';

type EventListener<E extends EventName> = (data: EventData<E>) => void;

/** `events.subscribe` takes at most this many topics per call (see the protocol's system methods). */
const TOPICS_PER_CALL = 64;

export interface ControlClientOptions {
  resolveEndpoint(): Promise<BackendEndpoint | null>;
  createSocket?: (url: string, protocols: string[]) => WebSocket;
  requestTimeoutMs?: number;
}

/**
 * The renderer's one connection to the backend: typed requests with correlation ids, cancellation
 * through AbortSignal, validated events, and reconnect with backoff.
 */
export class ControlClient {
  private socket: WebSocket | undefined;
  private readonly pending = new Map<string, PendingRequest>();
  private readonly listeners = new Map<EventName, Set<(data: unknown) => void>>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly noticeListeners = new Set<(error: WireError) => void>();
  private readonly binaryListeners = new Set<(bytes: Uint8Array) => void>();
  private currentStatus: ConnectionStatus = { state: 'idle' };
  private nextId = 1;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  /** Topics some part of the console holds, with how many holders each. */
  private readonly topicHolders = new Map<string, number>();
  /** Changes to the held topics not yet sent: batched so one tick of panel effects makes one request. */
  private readonly topicsToSubscribe = new Set<string>();
  private readonly topicsToUnsubscribe = new Set<string>();
  private topicFlushScheduled = false;

  constructor(private readonly options: ControlClientOptions) {}

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  start(): void {
    this.stopped = false;
    this.attempt = 0;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.close(1000, 'client stopped');
    this.setStatus({ state: 'idle' });
  }

  /** Reconnect now instead of waiting out the backoff (the "retry" button). */
  retryNow(): void {
    clearTimeout(this.reconnectTimer);
    this.stopped = false;
    void this.connect();
  }

  request<M extends MethodName>(method: M, params: ParamsOf<M>, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ResultOf<M>> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.currentStatus.state !== 'connected') {
      return Promise.reject(
        new ParleyError('unavailable', 'Not connected to the Parley backend', { hint: 'Wait for the connection indicator to turn green, or press Retry.' }),
      );
    }
    if (options.signal?.aborted) return Promise.reject(new ParleyError('cancelled', 'Request cancelled'));
    // A subscription made before this request goes out before it: the events it causes are not missed.
    this.flushTopics();
    const id = String(this.nextId++);
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? 30_000;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const onAbort = () => {
        this.sendFrame({ kind: 'cancel', id });
        this.settle(id, new ParleyError('cancelled', 'Request cancelled'));
      };
      const timer = setTimeout(() => {
        this.sendFrame({ kind: 'cancel', id });
        this.settle(id, new ParleyError('timeout', `${method} did not answer within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        resolve: resolve as (result: unknown) => void,
        reject,
        cleanup: () => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
        },
      });
      this.sendFrame({ kind: 'request', id, method, params });
    });
  }

  on<E extends EventName>(event: E, listener: EventListener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (data: unknown) => void);
    return () => set.delete(listener as (data: unknown) => void);
  }

  /**
   * Receives the events of `topic` (see the protocol's topics.ts) until the returned function is
   * called. Holders are counted: the first sends `events.subscribe`, the last release sends
   * `events.unsubscribe`; changes made in the same tick go out as one request each, and every held
   * topic is subscribed again after a reconnect (subscriptions belong to a socket).
   */
  subscribe(topic: string): () => void {
    if (!TOPIC_PATTERN.test(topic)) throw new ParleyError('invalid_params', `"${topic}" is not a topic`);
    const holders = this.topicHolders.get(topic) ?? 0;
    this.topicHolders.set(topic, holders + 1);
    if (holders === 0) {
      // Released and taken again in the same tick: the backend still has it, nothing to send.
      if (!this.topicsToUnsubscribe.delete(topic)) this.topicsToSubscribe.add(topic);
      this.scheduleTopicFlush();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.topicHolders.get(topic) ?? 1) - 1;
      if (left > 0) {
        this.topicHolders.set(topic, left);
        return;
      }
      this.topicHolders.delete(topic);
      if (!this.topicsToSubscribe.delete(topic)) this.topicsToUnsubscribe.add(topic);
      this.scheduleTopicFlush();
    };
  }

  /** The topics held now (what the backend is asked to send this console). */
  get heldTopics(): string[] {
    return [...this.topicHolders.keys()];
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Sends a binary frame (audio, see audio-frames.ts); false when there is no open socket to send it on. */
  sendBinary(bytes: Uint8Array): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    // A view on shared memory cannot be sent; copy it (audio frames are never shared, so this is rare).
    this.socket.send(bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice());
    return true;
  }

  /** Binary frames from the backend, as they arrive (audio, see audio-frames.ts). */
  onBinary(listener: (bytes: Uint8Array) => void): () => void {
    this.binaryListeners.add(listener);
    return () => this.binaryListeners.delete(listener);
  }

  /** Errors the backend reports without a request to attach them to. */
  onNotice(listener: (error: WireError) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  private async connect(): Promise<void> {
    this.setStatus({ state: 'connecting', attempt: this.attempt });
    let endpoint: BackendEndpoint | null;
    try {
      endpoint = await this.options.resolveEndpoint();
    } catch (error) {
      this.scheduleReconnect(`backend not reachable: ${(error as Error).message}`);
      return;
    }
    if (!endpoint) {
      this.setStatus({ state: 'unauthorized', reason: NO_TOKEN_REASON });
      return;
    }
    const create = this.options.createSocket ?? ((url, protocols) => new WebSocket(url, protocols));
    const socket = create(socketUrl(endpoint), [SOCKET_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + endpoint.token]);
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (message) => {
      if (typeof message.data === 'string') this.receive(message.data);
      else if (message.data instanceof ArrayBuffer) this.receiveBinary(new Uint8Array(message.data));
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.failPending(new ParleyError('unavailable', 'Connection to the backend was lost', { hint: 'The request may not have completed; retry it once the connection is back.' }));
      if (event.code === SocketCloseCode.unauthorized) {
        this.setStatus({ state: 'unauthorized', reason: event.reason || 'The token was not accepted' });
        return;
      }
      if (!this.stopped) this.scheduleReconnect(event.reason || describeCloseCode(event.code));
    };
  }

  private receive(text: string): void {
    let frame;
    try {
      frame = serverFrameSchema.parse(JSON.parse(text));
    } catch {
      this.emitNotice({ code: 'bad_request', message: 'The backend sent a message this console does not understand', hint: 'Reload the page; the console and backend versions may differ.' });
      return;
    }
    if (frame.kind === 'notice') {
      this.emitNotice(frame.error);
    } else if (frame.kind === 'event') {
      this.dispatchEvent(frame.event, frame.data);
    } else if (frame.ok) {
      const pending = this.pending.get(frame.id);
      if (!pending) return;
      const parsed = (methods[pending.method].result as z.ZodType).safeParse(frame.result);
      if (parsed.success) this.settle(frame.id, undefined, parsed.data);
      else this.settle(frame.id, new ParleyError('internal', `The backend answered ${pending.method} in an unexpected shape`));
    } else {
      this.settle(frame.id, ParleyError.fromWire(frame.error));
    }
  }

  private receiveBinary(bytes: Uint8Array): void {
    for (const listener of this.binaryListeners) listener(bytes);
  }

  private dispatchEvent(event: string, data: unknown): void {
    if (!isEventName(event)) return;
    const parsed = (events[event] as z.ZodType).safeParse(data);
    if (!parsed.success) return;
    if (event === 'system.hello') {
      const hello = parsed.data as EventData<'system.hello'>;
      this.attempt = 0;
      this.setStatus({ state: 'connected', connectionId: hello.connectionId, version: hello.version, mode: hello.mode });
      // A new socket holds no topics: ask again for all of them before anyone reloads what they show.
      this.topicsToSubscribe.clear();
      this.topicsToUnsubscribe.clear();
      this.sendTopics('events.subscribe', this.heldTopics);
    }
    for (const listener of this.listeners.get(event) ?? []) listener(parsed.data);
  }

  private scheduleTopicFlush(): void {
    if (this.topicFlushScheduled) return;
    this.topicFlushScheduled = true;
    queueMicrotask(() => this.flushTopics());
  }

  private flushTopics(): void {
    this.topicFlushScheduled = false;
    if (this.topicsToSubscribe.size === 0 && this.topicsToUnsubscribe.size === 0) return;
    const subscribe = [...this.topicsToSubscribe];
    const unsubscribe = [...this.topicsToUnsubscribe];
    this.topicsToSubscribe.clear();
    this.topicsToUnsubscribe.clear();
    // Offline, the backend holds nothing for us: the next hello subscribes whatever is held then.
    if (this.currentStatus.state !== 'connected') return;
    this.sendTopics('events.unsubscribe', unsubscribe);
    this.sendTopics('events.subscribe', subscribe);
  }

  private sendTopics(method: 'events.subscribe' | 'events.unsubscribe', topics: readonly string[]): void {
    for (let start = 0; start < topics.length; start += TOPICS_PER_CALL) {
      const batch = topics.slice(start, start + TOPICS_PER_CALL);
      this.request(method, { topics: batch }).catch((error: unknown) => {
        // A lost connection is not worth a word: the hello after the reconnect subscribes again.
        if (error instanceof ParleyError && (error.code === 'unavailable' || error.code === 'cancelled')) return;
        const wire = error instanceof ParleyError ? error.toWire() : { code: 'internal' as const, message: String(error) };
        this.emitNotice({
          ...wire,
          message: `Live updates for ${batch.join(', ')} could not be ${method === 'events.subscribe' ? 'turned on' : 'turned off'}: ${wire.message}`,
        });
      });
    }
  }

  private settle(id: string, error: ParleyError | undefined, result?: unknown): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.cleanup();
    if (error) pending.reject(error);
    else pending.resolve(result);
  }

  private failPending(error: ParleyError): void {
    for (const id of [...this.pending.keys()]) this.settle(id, error);
  }

  private scheduleReconnect(reason: string): void {
    const delay = reconnectDelayMs(this.attempt++);
    this.setStatus({ state: 'reconnecting', attempt: this.attempt, retryAt: Date.now() + delay, reason });
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  private sendFrame(frame: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private setStatus(status: ConnectionStatus): void {
    this.currentStatus = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private emitNotice(error: WireError): void {
    for (const listener of this.noticeListeners) listener(error);
  }
}

function describeCloseCode(code: number): string {
  if (code === SocketCloseCode.shuttingDown) return 'the backend is restarting';
  if (code === 1006) return 'the backend is not reachable';
  return `connection closed (${code})`;
}
