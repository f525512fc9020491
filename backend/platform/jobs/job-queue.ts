/**
 * The job queue's contract. The SQLite engine serves it inside one app store; a PostgreSQL engine
 * (pg-boss) can serve the same interface when several server instances share one queue.
 */

export type JobStatus = 'queued' | 'running' | 'done' | 'dead';

export interface EnqueueOptions {
  /** A second enqueue with the same key in the same queue is dropped (even after the first is done). */
  idempotencyKey?: string;
  /** Jobs with the same serial key run one at a time, in enqueue order (e.g. one WhatsApp contact). */
  serialKey?: string;
  /** Not before this time (epoch ms or Date). */
  runAt?: number | Date;
  /** Attempts before the job is dead-lettered; default 5. */
  maxAttempts?: number;
}

export interface EnqueueResult {
  id: string;
  /** True when the idempotency key was already taken: nothing was added, `id` is the existing job. */
  duplicate: boolean;
}

export interface BackoffPolicy {
  /** Delay after the first failure; default 1000 ms. */
  baseMs?: number;
  /** Growth per further failure; default 2. */
  factor?: number;
  /** Longest delay; default 5 minutes. */
  maxMs?: number;
  /** Share of the delay taken off at random, 0..1, so retries of many jobs spread out; default 0.25. */
  jitter?: number;
}

export interface WorkOptions {
  /** Jobs of this queue run at most this many at once in this worker (across serial keys). */
  concurrency: number;
  /** How long a claim holds without a heartbeat; the worker renews it every third of it. Default 30 s. */
  leaseMs?: number;
  backoff?: BackoffPolicy;
}

export interface Job<TPayload = unknown> {
  id: string;
  queue: string;
  payload: TPayload;
  idempotencyKey: string | null;
  serialKey: string | null;
  seq: number;
  status: JobStatus;
  /** Attempts started so far, the running one included. */
  attempts: number;
  maxAttempts: number;
  runAt: number;
  lockedUntil: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/** What a handler receives: the job, and a signal that fires when the queue stops or the lease is lost. */
export interface RunningJob<TPayload = unknown> extends Job<TPayload> {
  signal: AbortSignal;
}

export type JobHandler<TPayload = unknown> = (job: RunningJob<TPayload>) => Promise<void>;

export interface JobWorker {
  /** Stops claiming, aborts the running handlers and waits (bounded) for them to settle. */
  dispose(): Promise<void>;
}

export interface JobListFilter {
  queue?: string;
  status?: JobStatus;
  serialKey?: string;
  /** Newest first; default 100. */
  limit?: number;
}

export interface QueueCounts {
  queue: string;
  queued: number;
  running: number;
  done: number;
  dead: number;
}

export type JobOutcome = 'done' | 'retry' | 'dead' | 'released' | 'lease-lost';

export interface JobObserver {
  /** After each attempt; `ms` runs from the claim to the recorded outcome. */
  onJobFinished?(queue: string, outcome: JobOutcome, ms: number): void;
}

/** pino's calling convention, so a pino child logger can be passed as is. */
export interface JobQueueLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface JobQueue {
  enqueue(queue: string, payload: unknown, options?: EnqueueOptions): Promise<EnqueueResult>;
  /**
   * Runs `handler` for the jobs of `queue`. A handler that throws is retried with backoff; one that
   * resolves completes the job. `TPayload` is not checked: validate payloads that came from outside.
   */
  work<TPayload = unknown>(queue: string, options: WorkOptions, handler: JobHandler<TPayload>): JobWorker;
  get(id: string): Promise<Job | undefined>;
  list(filter?: JobListFilter): Promise<Job[]>;
  counts(): Promise<QueueCounts[]>;
  /** Puts a dead job back in its queue with fresh attempts. */
  retry(id: string): Promise<void>;
  /** Deletes done jobs finished before `olderThan`; their idempotency keys become free again. */
  purgeFinished(olderThan: number | Date): Promise<number>;
  /** Workers claim jobs only between start() and stop(); enqueue works at any time. */
  start(): void;
  stop(): Promise<void>;
}
