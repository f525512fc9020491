import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { createSqliteJobQueue, jobMigrations, type JobQueue, type SqliteJobQueueOptions } from '../../../../backend/platform/jobs';
import { openAppStore, type AppStore } from '../../../../backend/store';

export const WORKER_PROCESS_SCRIPT = fileURLToPath(new URL('./job-worker-process.ts', import.meta.url));

/**
 * Real app stores in temp dirs, and queues on them, all stopped, closed and removed after each test
 * (queues first, so no worker touches a closed connection).
 */
export function useJobQueues() {
  const dirs: string[] = [];
  const stores: AppStore[] = [];
  const queues: JobQueue[] = [];
  const children: ChildProcessWithoutNullStreams[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(queues.splice(0).map((queue) => queue.stop()));
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  return {
    async dataDir(): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), 'parley-jobs-'));
      dirs.push(dir);
      return dir;
    },
    /** Another connection to the app store in `dataDir` (the first one creates it and runs the migrations). */
    async openStore(dataDir: string): Promise<AppStore> {
      const store = await openAppStore({ dataDir, secretKey: undefined, migrations: jobMigrations });
      stores.push(store);
      return store;
    },
    queueOn(store: AppStore, options: Omit<SqliteJobQueueOptions, 'knex'> = {}): JobQueue {
      const queue = createSqliteJobQueue({ knex: store.knex, pollMs: 10, ...options });
      queues.push(queue);
      return queue;
    },
    /** `node --import tsx job-worker-process.ts <args>`: a separate process on the same store. */
    spawnWorkerProcess(args: string[]): ChildProcessWithoutNullStreams {
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER_PROCESS_SCRIPT, ...args], { stdio: 'pipe' });
      children.push(child);
      return child;
    },
  };
}

/** Resolves with the first stdout line matching `pattern`; rejects if the process exits first. */
export function waitForLine(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        const match = line.match(pattern);
        if (match) {
          child.stdout.off('data', onData);
          resolve(match);
          return;
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code, signal) => reject(new Error(`worker process exited (${code ?? signal}) before ${pattern}: ${stderr}`)));
  });
}

export async function waitUntil<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
