/**
 * What the test harnesses start and a suite must stop: every process they spawn (the browser
 * excepted: Playwright owns it) from the moment it is spawned, and the in-process test backends.
 * So nothing outlives its test file:
 * - the setup file (tests/support/stop-after-file.ts) stops what is still running after
 *   each file's own afterAll, which matters when a beforeAll failed half-way, before the suite had
 *   a handle to stop;
 * - if the test process exits anyway (a crash, a timeout that ends the worker), what is left is
 *   killed on the way out.
 * This module imports nothing from the product: the setup file loads it before every test file,
 * and a product module loaded here would be loaded before the test file's vi.mock could replace it.
 */
import type { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();

/** Registers `child` until it exits; returns it for chaining. */
export function trackChildProcess<T extends ChildProcess>(child: T): T {
  if (child.exitCode !== null || child.signalCode !== null) return child;
  running.add(child);
  child.once('exit', () => running.delete(child));
  // A spawn that failed (ENOENT) emits 'error' and never 'exit'.
  child.once('error', () => {
    if (child.pid === undefined) running.delete(child);
  });
  return child;
}

/** The pids of registered processes still running. */
export function trackedChildPids(): number[] {
  return [...running].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
}

/** Stops every registered process: SIGTERM, then SIGKILL for any still there after `graceMs`. Resolves when all have exited. */
export async function stopTrackedChildren(graceMs = 5_000): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(async (child) => {
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }),
  );
}

const openResources = new Set<() => Promise<void>>();

/** Registers something to close (an in-process backend) until `untrack` is called, normally by its own close. */
export function trackOpenResource(close: () => Promise<void>): () => void {
  openResources.add(close);
  return () => openResources.delete(close);
}

/** Closes every registered resource and stops every registered process. */
export async function stopEverythingLeftRunning(): Promise<void> {
  await Promise.all([stopTrackedChildren(), ...[...openResources].map((close) => close())]);
}

// 'exit' handlers must be synchronous: a signal is all there is time for.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
