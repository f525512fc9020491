import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendSupervisor, BackendUnavailableError, type BackendChild, type BackendSupervisorOptions } from '../../main/backend-supervisor';

/** Stands in for a utilityProcess: records what main sends, lets the test play the backend. */
class FakeChild extends EventEmitter implements BackendChild {
  readonly sent: unknown[] = [];
  killed = false;
  exited = false;
  /** When true, shutdown makes the fake exit at once; otherwise it hangs like a stuck backend. */
  exitOnShutdown = true;

  postMessage(message: unknown): void {
    this.sent.push(message);
    if (this.exitOnShutdown && (message as { type?: string }).type === 'shutdown') queueMicrotask(() => this.exit(0));
  }
  kill(): void {
    this.killed = true;
    queueMicrotask(() => this.exit(143));
  }
  ready(port = 7000): void {
    this.emit('message', { type: 'ready', url: `http://127.0.0.1:${port}`, port });
  }
  fatal(message: string): void {
    this.emit('message', { type: 'fatal', message });
  }
  exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.emit('exit', code);
  }
}

function setup(options: Partial<BackendSupervisorOptions> = {}) {
  const children: FakeChild[] = [];
  let launches = 0;
  const supervisor = new BackendSupervisor({
    spawnBackend: () => {
      const child = new FakeChild();
      children.push(child);
      launches += 1;
      return { child, token: `token-${launches}` };
    },
    log: { info: () => {}, warn: () => {} },
    ...options,
  });
  const crashes: Array<{ restartInMs: number; reason: string }> = [];
  supervisor.onDidCrash(({ failure, restartInMs }) => crashes.push({ restartInMs, reason: failure.reason }));
  const latest = () => {
    const child = children.at(-1);
    if (!child) throw new Error('no child was spawned');
    return child;
  };
  return { supervisor, children, crashes, latest };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('BackendSupervisor', () => {
  it('reports the endpoint with the launch token once the backend says ready', async () => {
    const { supervisor, latest } = setup();
    const onReady = vi.fn();
    supervisor.onDidBecomeReady(onReady);
    supervisor.start();
    const endpoint = supervisor.whenReady();
    expect(supervisor.state).toBe('starting');
    expect(supervisor.endpoint).toBeUndefined();

    latest().ready(7123);

    await expect(endpoint).resolves.toEqual({ url: 'http://127.0.0.1:7123', token: 'token-1' });
    expect(supervisor.endpoint).toEqual({ url: 'http://127.0.0.1:7123', token: 'token-1' });
    expect(supervisor.state).toBe('ready');
    expect(onReady).toHaveBeenCalledOnce();
  });

  it('ignores messages that do not match the protocol', () => {
    const { supervisor, latest } = setup();
    supervisor.start();
    latest().emit('message', { type: 'ready', url: 42 });
    latest().emit('message', 'ready');
    expect(supervisor.state).toBe('starting');
  });

  it('restarts after a crash with delays doubling from 500 ms up to 10 s', () => {
    const { supervisor, children, crashes, latest } = setup({ maxCrashes: 100, crashWindowMs: 10 * 60_000 });
    supervisor.start();
    latest().ready();

    const expected = [500, 1000, 2000, 4000, 8000, 10_000, 10_000];
    for (const [index, delay] of expected.entries()) {
      latest().exit(1);
      expect(supervisor.state).toBe('restart-pending');
      expect(supervisor.endpoint).toBeUndefined();
      vi.advanceTimersByTime(delay - 1);
      expect(children).toHaveLength(index + 1);
      vi.advanceTimersByTime(1);
      expect(children).toHaveLength(index + 2);
      latest().ready();
    }
    expect(crashes.map((crash) => crash.restartInMs)).toEqual(expected);
    expect(crashes[0]?.reason).toBe('exited unexpectedly with code 1');
  });

  it('gives the new token to callers waiting across a restart', async () => {
    const { supervisor, latest } = setup();
    supervisor.start();
    latest().ready(7001);
    latest().exit(1);
    const endpoint = supervisor.whenReady();
    vi.advanceTimersByTime(500);
    latest().ready(7002);
    await expect(endpoint).resolves.toEqual({ url: 'http://127.0.0.1:7002', token: 'token-2' });
  });

  it('gives up after 5 failures inside 60 s and reports what the backend said', async () => {
    const { supervisor, children, latest } = setup();
    const gaveUp = vi.fn();
    supervisor.onDidGiveUp(gaveUp);
    supervisor.start();
    const endpoint = supervisor.whenReady();

    for (let crash = 1; crash <= 5; crash += 1) {
      latest().fatal(`database is locked (${crash})`);
      latest().exit(1);
      if (crash < 5) vi.advanceTimersByTime(10_000);
    }

    expect(supervisor.state).toBe('gave-up');
    expect(gaveUp).toHaveBeenCalledOnce();
    expect(gaveUp.mock.calls[0]?.[0]).toMatchObject({ fatalMessage: 'database is locked (5)', exitCode: 1, reason: 'exited while starting with code 1' });
    await expect(endpoint).rejects.toThrow('database is locked (5) (the backend exited while starting with code 1)');
    await expect(supervisor.whenReady()).rejects.toBeInstanceOf(BackendUnavailableError);
    vi.advanceTimersByTime(60_000);
    expect(children).toHaveLength(5);
  });

  it('keeps restarting when failures are spread wider than the window', () => {
    const { supervisor, children, crashes, latest } = setup();
    supervisor.start();
    for (let crash = 1; crash <= 8; crash += 1) {
      latest().ready();
      vi.advanceTimersByTime(61_000);
      latest().exit(1);
      vi.advanceTimersByTime(500);
    }
    expect(supervisor.state).toBe('starting');
    expect(children).toHaveLength(9);
    // Each failure is alone in its window, so the backoff never grows either.
    expect(new Set(crashes.map((crash) => crash.restartInMs))).toEqual(new Set([500]));
  });

  it('counts a start timeout as a failure and kills the silent process', () => {
    const { supervisor, children, crashes, latest } = setup({ startTimeoutMs: 30_000 });
    supervisor.start();
    const silent = latest();

    vi.advanceTimersByTime(30_000);

    expect(silent.killed).toBe(true);
    expect(crashes).toEqual([{ restartInMs: 500, reason: 'did not report ready within 30 s' }]);
    // Its late exit is expected and must not count as a second failure.
    silent.exit(143);
    expect(crashes).toHaveLength(1);
    vi.advanceTimersByTime(500);
    expect(children).toHaveLength(2);
  });

  it('gives up on a backend that never becomes ready', () => {
    const { supervisor } = setup({ startTimeoutMs: 5_000 });
    supervisor.start();
    // 5 timeouts plus backoffs 0.5 + 1 + 2 + 4 s fit in the 60 s window.
    vi.advanceTimersByTime(5 * 5_000 + 7_500);
    expect(supervisor.state).toBe('gave-up');
    expect(supervisor.lastFailure?.reason).toBe('did not report ready within 5 s');
  });

  it('treats a spawn that throws as a failure', () => {
    let calls = 0;
    const supervisor = new BackendSupervisor({
      spawnBackend: () => {
        calls += 1;
        throw new Error('no such file: out/backend/index.js');
      },
      log: { info: () => {}, warn: () => {} },
    });
    supervisor.start();
    expect(supervisor.lastFailure?.reason).toBe('could not be started: no such file: out/backend/index.js');
    vi.advanceTimersByTime(60_000);
    expect(calls).toBe(5);
    expect(supervisor.state).toBe('gave-up');
  });

  it('stop sends shutdown and resolves when the backend exits', async () => {
    const { supervisor, latest } = setup();
    supervisor.start();
    latest().ready();

    await supervisor.stop();

    expect(latest().sent).toEqual([{ type: 'shutdown' }]);
    expect(latest().killed).toBe(false);
    expect(supervisor.state).toBe('stopped');
    expect(supervisor.endpoint).toBeUndefined();
  });

  it('stop kills a backend that does not exit within the grace period', async () => {
    const { supervisor, latest } = setup({ shutdownGraceMs: 5_000 });
    supervisor.start();
    latest().ready();
    latest().exitOnShutdown = false;

    let stopped = false;
    const stopping = supervisor.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(stopped).toBe(false);
    expect(latest().killed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(latest().killed).toBe(true);
  });

  it('does not restart after stop, even when the exit code says crash', async () => {
    const { supervisor, children, crashes, latest } = setup();
    supervisor.start();
    latest().ready();
    latest().exitOnShutdown = false;
    const stopping = supervisor.stop();
    latest().exit(1);
    await stopping;
    vi.advanceTimersByTime(60_000);
    expect(children).toHaveLength(1);
    expect(crashes).toEqual([]);
    await expect(supervisor.whenReady()).rejects.toThrow('stopped');
    expect(() => supervisor.start()).toThrow();
  });

  it('stop during a pending restart cancels the restart', async () => {
    const { supervisor, children, latest } = setup();
    supervisor.start();
    latest().ready();
    latest().exit(1);
    await supervisor.stop();
    vi.advanceTimersByTime(60_000);
    expect(children).toHaveLength(1);
    expect(supervisor.state).toBe('stopped');
  });

  it('stop rejects callers still waiting for ready', async () => {
    const { supervisor } = setup();
    supervisor.start();
    const endpoint = supervisor.whenReady();
    const stopping = supervisor.stop();
    await expect(endpoint).rejects.toBeInstanceOf(BackendUnavailableError);
    await vi.advanceTimersByTimeAsync(5_000);
    await stopping;
  });
});
