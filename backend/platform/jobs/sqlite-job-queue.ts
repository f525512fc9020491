import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { ParleyError } from '#protocol';
import type { EnqueueOptions, EnqueueResult, Job, JobHandler, JobListFilter, JobObserver, JobQueue, JobQueueLogger, JobWorker, QueueCounts, WorkOptions } from './job-queue';
import { jobFromRow } from './job-row';
import { JobTable } from './job-table';
import { QueueWorker } from './queue-worker';

export interface SqliteJobQueueOptions {
  /** The app store's knex, with `jobMigrations` applied. */
  knex: Knex;
  clock?: { now(): number };
  /** How often workers look for jobs enqueued by other processes and for expired leases; default 250 ms. */
  pollMs?: number;
  /** How long stop() waits for aborted handlers to settle; default 10 s. */
  stopTimeoutMs?: number;
  logger?: JobQueueLogger;
  observer?: JobObserver;
}

const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * The job queue on the app store. Local enqueues wake this process's workers at once; jobs from
 * other processes (and expired leases) are found by polling, which a PostgreSQL engine would
 * replace with LISTEN/NOTIFY.
 */
export function createSqliteJobQueue(options: SqliteJobQueueOptions): JobQueue {
  const table = new JobTable(options.knex);
  const now = () => (options.clock ? options.clock.now() : Date.now());
  const workers = new Set<QueueWorker<never>>();
  const workerDeps = {
    table,
    now,
    pollMs: options.pollMs ?? 250,
    stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
    logger: options.logger,
    observer: options.observer,
  };
  let started = false;

  const wakeWorkersOf = (queue: string) => {
    for (const worker of workers) if (worker.queue === queue) worker.wake();
  };

  return {
    async enqueue(queue: string, payload: unknown, enqueueOptions: EnqueueOptions = {}): Promise<EnqueueResult> {
      const maxAttempts = enqueueOptions.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
        throw new ParleyError('invalid_params', `maxAttempts must be a positive integer, got ${maxAttempts}`);
      }
      const payloadJson = JSON.stringify(payload);
      if (payloadJson === undefined) throw new ParleyError('invalid_params', 'A job payload must be JSON-serialisable');
      const enqueuedAt = now();
      const runAt = enqueueOptions.runAt === undefined ? enqueuedAt : Number(enqueueOptions.runAt);
      const result = await table.insertUnlessDuplicate({
        id: randomUUID(),
        queue,
        payloadJson,
        idempotencyKey: enqueueOptions.idempotencyKey ?? null,
        serialKey: enqueueOptions.serialKey ?? null,
        maxAttempts,
        runAt,
        now: enqueuedAt,
      });
      if (!result.duplicate) wakeWorkersOf(queue);
      return result;
    },

    work<TPayload = unknown>(queue: string, workOptions: WorkOptions, handler: JobHandler<TPayload>): JobWorker {
      const worker = new QueueWorker<TPayload>(workerDeps, queue, workOptions, handler);
      workers.add(worker as QueueWorker<never>);
      if (started) worker.start();
      return {
        async dispose() {
          workers.delete(worker as QueueWorker<never>);
          await worker.stop();
        },
      };
    },

    async get(id: string): Promise<Job | undefined> {
      const row = await table.get(id);
      return row && jobFromRow(row);
    },

    async list(filter: JobListFilter = {}): Promise<Job[]> {
      return (await table.list(filter)).map(jobFromRow);
    },

    counts(): Promise<QueueCounts[]> {
      return table.counts();
    },

    async retry(id: string): Promise<void> {
      const job = await table.get(id);
      if (!job) throw new ParleyError('not_found', `No job ${id}`);
      if (!(await table.requeueDead(id, now()))) {
        throw new ParleyError('conflict', `Job ${id} is ${job.status}; only a dead job can be retried`);
      }
      wakeWorkersOf(job.queue);
    },

    purgeFinished(olderThan: number | Date): Promise<number> {
      return table.purgeDone(Number(olderThan));
    },

    start() {
      started = true;
      for (const worker of workers) worker.start();
    },

    async stop() {
      started = false;
      await Promise.all([...workers].map((worker) => worker.stop()));
    },
  };
}
