/**
 * A durable job queue on the app store: idempotent enqueue, per-key serial execution, bounded
 * concurrency, retries with backoff into a dead-letter state, and leases so that nothing is lost
 * or completed twice when a worker dies.
 */
export type {
  BackoffPolicy,
  EnqueueOptions,
  EnqueueResult,
  Job,
  JobHandler,
  JobListFilter,
  JobObserver,
  JobOutcome,
  JobQueue,
  JobQueueLogger,
  JobStatus,
  JobWorker,
  QueueCounts,
  RunningJob,
  WorkOptions,
} from './job-queue';
export { createSqliteJobQueue, type SqliteJobQueueOptions } from './sqlite-job-queue';
export { jobMigrations } from './migrations';
export { retryDelayMs } from './backoff';
