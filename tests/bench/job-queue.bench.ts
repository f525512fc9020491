import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteJobQueue, jobMigrations, type JobQueue } from '../../backend/platform/jobs';
import { APP_DATABASE_FILE, openAppStore } from '../../backend/store';
import { percentile, type BenchRow } from './bench-table';

const JOBS = 2000;
const SERIAL_KEYS = 20;
const CONCURRENCY = 4;
const LATENCY_SAMPLES = 500;

/**
 * The app-store job queue with a no-op handler: a burst of jobs across serial keys (throughput),
 * and one job at a time (enqueue → done latency: wake, claim, complete). The baseline is the least
 * any durable queue on this file must do per job: insert a row of the same shape and delete it,
 * with bare better-sqlite3 on a file with the same settings (WAL).
 */
export async function benchJobQueue(): Promise<BenchRow[]> {
  const bare = await measureBareInsertDelete();
  const queue = await measureJobQueue();
  const title = `${JOBS} no-op jobs, ${SERIAL_KEYS} serial keys, concurrency ${CONCURRENCY}`;
  const baselineName = 'bare better-sqlite3 insert+delete';
  return [
    { name: `job queue throughput (${title})`, value: queue.jobsPerSecond, unit: 'jobs/s', baselineName, baseline: bare.rowsPerSecond },
    ...(['p50', 'p99'] as const).map((label) => ({
      name: `job queue enqueue → done ${label} (one job at a time)`,
      value: queue[label],
      unit: 'ms',
      baselineName,
      baseline: bare[label],
    })),
  ];
}

async function measureJobQueue(): Promise<{ jobsPerSecond: number; p50: number; p99: number }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-jobs-'));
  const store = await openAppStore({ dataDir, secretKey: undefined, migrations: jobMigrations });
  const finished = new Map<string, () => void>();
  let done = 0;
  let allDone = () => {};
  const queue: JobQueue = createSqliteJobQueue({ knex: store.knex, observer: { onJobFinished: () => void (done += 1) } });
  try {
    queue.work<{ token: string }>('bench', { concurrency: CONCURRENCY }, async () => {});
    // Completion is observed after the job's row is marked done, not when the handler returns.
    queue.work<{ token: string }>('latency', { concurrency: CONCURRENCY }, async ({ payload }) => {
      const resolve = finished.get(payload.token);
      queueMicrotask(() => resolve?.());
    });
    queue.start();

    const burstDone = new Promise<void>((resolve) => (allDone = resolve));
    const watcher = setInterval(() => done >= JOBS && allDone(), 1);
    const started = performance.now();
    for (let index = 0; index < JOBS; index++) {
      await queue.enqueue('bench', { index }, { serialKey: `contact-${index % SERIAL_KEYS}`, idempotencyKey: `bench-${index}` });
    }
    await burstDone;
    const jobsPerSecond = JOBS / ((performance.now() - started) / 1000);
    clearInterval(watcher);

    const samples: number[] = [];
    for (let index = 0; index < LATENCY_SAMPLES; index++) {
      const token = String(index);
      const before = done;
      const enqueued = performance.now();
      const ran = new Promise<void>((resolve) => finished.set(token, resolve));
      await queue.enqueue('latency', { token }, { serialKey: `contact-${index % SERIAL_KEYS}` });
      await ran;
      await waitFor(() => done > before);
      samples.push(performance.now() - enqueued);
    }
    return { jobsPerSecond, p50: percentile(samples, 50), p99: percentile(samples, 99) };
  } finally {
    await queue.stop();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function measureBareInsertDelete(): Promise<{ rowsPerSecond: number; p50: number; p99: number }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-jobs-bare-'));
  // The same table (from the same migration), then the file on its own connection.
  await (await openAppStore({ dataDir, secretKey: undefined, migrations: jobMigrations })).close();
  const database = new Database(join(dataDir, APP_DATABASE_FILE));
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    const insert = database.prepare(
      `insert into jobs (id, queue, payload_json, idempotency_key, serial_key, status, attempts, max_attempts, run_at, created_at, updated_at)
       values (?, 'bench', ?, ?, ?, 'queued', 0, 5, ?, ?, ?)`,
    );
    const remove = database.prepare('delete from jobs where id = ?');
    const samples: number[] = [];
    const started = performance.now();
    for (let index = 0; index < JOBS; index++) {
      const before = performance.now();
      const now = Date.now();
      insert.run(`job-${index}`, JSON.stringify({ index }), `bench-${index}`, `contact-${index % SERIAL_KEYS}`, now, now, now);
      remove.run(`job-${index}`);
      samples.push(performance.now() - before);
    }
    const rowsPerSecond = JOBS / ((performance.now() - started) / 1000);
    return { rowsPerSecond, p50: percentile(samples, 50), p99: percentile(samples, 99) };
  } finally {
    database.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
