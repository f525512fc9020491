import { backendToMainSchema, mainToBackendSchema } from '#protocol';
import type { BackendEndpoint } from '../preload/api';
import { Emitter } from './emitter';

/** The part of Electron's UtilityProcess the supervisor uses ('message' delivers the message itself). */
export interface BackendChild {
  postMessage(message: unknown): void;
  kill(): void;
  on(event: 'message', listener: (message: unknown) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
}

/** One launch: the process, and the token it was given (the ready message carries only the URL). */
export interface SpawnedBackend {
  child: BackendChild;
  token: string;
}

export interface BackendFailure {
  /** What happened to the process, e.g. "exited with code 1". */
  reason: string;
  exitCode?: number;
  /** What the backend itself said before it died, when it managed to say anything. */
  fatalMessage?: string;
  /** Milliseconds since the epoch. */
  at: number;
}

export interface BackendCrash {
  failure: BackendFailure;
  restartInMs: number;
  /** Failures inside the crash window, this one included. */
  recentFailures: number;
}

export type SupervisorState = 'idle' | 'starting' | 'ready' | 'restart-pending' | 'gave-up' | 'stopping' | 'stopped';

export interface SupervisorLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface BackendSupervisorOptions {
  spawnBackend: () => SpawnedBackend;
  startTimeoutMs?: number;
  initialRestartDelayMs?: number;
  maxRestartDelayMs?: number;
  /** Give up once this many failures fall inside `crashWindowMs`. */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** How long a `shutdown` request may take before the process is killed. */
  shutdownGraceMs?: number;
  now?: () => number;
  log?: SupervisorLog;
}

/** The user-facing sentence for a failure: the backend's own words first, when it had any. */
export function describeBackendFailure(failure: BackendFailure): string {
  return failure.fatalMessage ? `${failure.fatalMessage} (the backend ${failure.reason})` : `The backend ${failure.reason}.`;
}

export class BackendUnavailableError extends Error {
  constructor(message: string, readonly failure?: BackendFailure) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

interface Attempt {
  child: BackendChild;
  token: string;
  fatalMessage: string | undefined;
  startTimer: ReturnType<typeof setTimeout> | undefined;
  exited: Promise<void>;
  markExited: () => void;
}

interface Waiter {
  resolve: (endpoint: BackendEndpoint) => void;
  reject: (error: Error) => void;
}

/**
 * Keeps one backend process alive: starts it, waits for `ready`, restarts it with exponential
 * backoff when it dies, gives up when it keeps dying, and shuts it down politely on stop.
 */
export class BackendSupervisor {
  private readonly spawnBackend: () => SpawnedBackend;
  private readonly startTimeoutMs: number;
  private readonly initialRestartDelayMs: number;
  private readonly maxRestartDelayMs: number;
  private readonly maxCrashes: number;
  private readonly crashWindowMs: number;
  private readonly shutdownGraceMs: number;
  private readonly now: () => number;
  private readonly log: SupervisorLog;

  private currentState: SupervisorState = 'idle';
  private attempt: Attempt | undefined;
  private currentEndpoint: BackendEndpoint | undefined;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private failureTimes: number[] = [];
  private latestFailure: BackendFailure | undefined;
  private stopping: Promise<void> | undefined;
  private readonly waiters = new Set<Waiter>();

  private readonly readyEmitter = new Emitter<BackendEndpoint>();
  private readonly crashEmitter = new Emitter<BackendCrash>();
  private readonly giveUpEmitter = new Emitter<BackendFailure>();
  readonly onDidBecomeReady = this.readyEmitter.event;
  readonly onDidCrash = this.crashEmitter.event;
  readonly onDidGiveUp = this.giveUpEmitter.event;

  constructor(options: BackendSupervisorOptions) {
    this.spawnBackend = options.spawnBackend;
    this.startTimeoutMs = options.startTimeoutMs ?? 30_000;
    this.initialRestartDelayMs = options.initialRestartDelayMs ?? 500;
    this.maxRestartDelayMs = options.maxRestartDelayMs ?? 10_000;
    this.maxCrashes = options.maxCrashes ?? 5;
    this.crashWindowMs = options.crashWindowMs ?? 60_000;
    this.shutdownGraceMs = options.shutdownGraceMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? { info: (m) => console.info(m), warn: (m) => console.warn(m) };
  }

  get state(): SupervisorState {
    return this.currentState;
  }

  /** Where the backend listens now; undefined while it is starting, restarting or gone. */
  get endpoint(): BackendEndpoint | undefined {
    return this.currentEndpoint;
  }

  get lastFailure(): BackendFailure | undefined {
    return this.latestFailure;
  }

  /** Starts the backend; after giving up, starts afresh with a clean failure history. */
  start(): void {
    if (this.currentState !== 'idle' && this.currentState !== 'gave-up') {
      throw new Error(`The backend supervisor cannot start while ${this.currentState}`);
    }
    this.failureTimes = [];
    this.launch();
  }

  /** The endpoint once the backend is ready; rejects when the supervisor gives up or stops. */
  whenReady(): Promise<BackendEndpoint> {
    if (this.currentEndpoint) return Promise.resolve(this.currentEndpoint);
    if (this.currentState === 'gave-up') return Promise.reject(this.gaveUpError());
    if (this.currentState === 'stopping' || this.currentState === 'stopped') return Promise.reject(this.stoppedError());
    return new Promise((resolve, reject) => this.waiters.add({ resolve, reject }));
  }

  /** Asks the backend to shut down, kills it after the grace period, and never restarts it. */
  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private launch(): void {
    this.currentState = 'starting';
    let spawned: SpawnedBackend;
    try {
      spawned = this.spawnBackend();
    } catch (error) {
      this.recordFailure({ reason: `could not be started: ${error instanceof Error ? error.message : String(error)}`, at: this.now() });
      return;
    }
    let markExited!: () => void;
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    const attempt: Attempt = { child: spawned.child, token: spawned.token, fatalMessage: undefined, startTimer: undefined, exited, markExited };
    this.attempt = attempt;
    attempt.startTimer = setTimeout(() => this.onStartTimeout(attempt), this.startTimeoutMs);
    spawned.child.on('message', (message) => this.onMessage(attempt, message));
    spawned.child.on('exit', (code) => this.onExit(attempt, code));
  }

  private onMessage(attempt: Attempt, raw: unknown): void {
    if (attempt !== this.attempt) return;
    const parsed = backendToMainSchema.safeParse(raw);
    if (!parsed.success) {
      this.log.warn(`Ignoring a malformed message from the backend: ${parsed.error.message}`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'fatal') {
      attempt.fatalMessage = message.message;
      return;
    }
    if (this.currentState !== 'starting') return;
    clearTimeout(attempt.startTimer);
    const endpoint = { url: message.url, token: attempt.token };
    this.currentEndpoint = endpoint;
    this.currentState = 'ready';
    this.log.info(`Backend ready at ${message.url}`);
    for (const waiter of this.takeWaiters()) waiter.resolve(endpoint);
    this.readyEmitter.fire(endpoint);
  }

  private onExit(attempt: Attempt, code: number): void {
    attempt.markExited();
    clearTimeout(attempt.startTimer);
    // Exits of processes we already let go (start timeout) or asked to leave (stop) are expected.
    if (attempt !== this.attempt || this.currentState === 'stopping' || this.currentState === 'stopped') return;
    this.attempt = undefined;
    const when = this.currentState === 'starting' ? 'while starting' : 'unexpectedly';
    this.recordFailure({
      reason: `exited ${when} with code ${code}`,
      exitCode: code,
      ...(attempt.fatalMessage === undefined ? {} : { fatalMessage: attempt.fatalMessage }),
      at: this.now(),
    });
  }

  private onStartTimeout(attempt: Attempt): void {
    if (attempt !== this.attempt || this.currentState !== 'starting') return;
    this.attempt = undefined;
    attempt.child.kill();
    this.recordFailure({
      reason: `did not report ready within ${this.startTimeoutMs / 1000} s`,
      ...(attempt.fatalMessage === undefined ? {} : { fatalMessage: attempt.fatalMessage }),
      at: this.now(),
    });
  }

  private recordFailure(failure: BackendFailure): void {
    this.latestFailure = failure;
    this.currentEndpoint = undefined;
    this.failureTimes = this.failureTimes.filter((time) => failure.at - time < this.crashWindowMs);
    this.failureTimes.push(failure.at);
    const recentFailures = this.failureTimes.length;

    if (recentFailures >= this.maxCrashes) {
      this.currentState = 'gave-up';
      this.log.warn(`Giving up on the backend after ${recentFailures} failures: ${describeBackendFailure(failure)}`);
      const error = this.gaveUpError();
      for (const waiter of this.takeWaiters()) waiter.reject(error);
      this.giveUpEmitter.fire(failure);
      return;
    }

    const restartInMs = Math.min(this.initialRestartDelayMs * 2 ** (recentFailures - 1), this.maxRestartDelayMs);
    this.currentState = 'restart-pending';
    this.log.warn(`${describeBackendFailure(failure)} Restarting in ${restartInMs} ms.`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.launch();
    }, restartInMs);
    this.crashEmitter.fire({ failure, restartInMs, recentFailures });
  }

  private async shutDown(): Promise<void> {
    this.currentState = 'stopping';
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.currentEndpoint = undefined;
    const error = this.stoppedError();
    for (const waiter of this.takeWaiters()) waiter.reject(error);

    const attempt = this.attempt;
    if (attempt) {
      clearTimeout(attempt.startTimer);
      try {
        attempt.child.postMessage(mainToBackendSchema.parse({ type: 'shutdown' }));
      } catch (failure) {
        // The process may already be on its way out; the grace period still applies.
        this.log.warn(`Could not ask the backend to shut down: ${failure instanceof Error ? failure.message : String(failure)}`);
      }
      let graceTimer: ReturnType<typeof setTimeout> | undefined;
      const exitedInTime = await Promise.race([
        attempt.exited.then(() => true),
        new Promise<boolean>((resolve) => (graceTimer = setTimeout(() => resolve(false), this.shutdownGraceMs))),
      ]);
      clearTimeout(graceTimer);
      if (!exitedInTime) {
        this.log.warn(`The backend did not exit within ${this.shutdownGraceMs / 1000} s of shutdown; killing it.`);
        attempt.child.kill();
      }
    }
    this.attempt = undefined;
    this.currentState = 'stopped';
  }

  private takeWaiters(): Waiter[] {
    const waiters = [...this.waiters];
    this.waiters.clear();
    return waiters;
  }

  private gaveUpError(): BackendUnavailableError {
    const failure = this.latestFailure;
    return new BackendUnavailableError(failure ? describeBackendFailure(failure) : 'The backend is not running.', failure);
  }

  private stoppedError(): BackendUnavailableError {
    return new BackendUnavailableError('The backend was stopped because Parley is quitting.');
  }
}
