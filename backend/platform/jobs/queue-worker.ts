import { randomUUID } from 'node:crypto';
import { ParleyError } from '#protocol';
import { retryDelayMs } from './backoff';
import type { JobHandler, JobObserver, JobOutcome, JobQueueLogger, RunningJob, WorkOptions } from './job-queue';
import { jobFromRow, type JobRow } from './job-row';
import type { JobTable } from './job-table';

export interface QueueWorkerDeps {
  table: JobTable;
  now(): number;
  pollMs: number;
  stopTimeoutMs: number;
  logger: JobQueueLogger | undefined;
  observer: JobObserver | undefined;
}

interface ActiveRun {
  controller: AbortController;
  settled: Promise<void>;
  stopHeartbeat(): void;
}

const DEFAULT_LEASE_MS = 30_000;

/** Claims and runs the jobs of one queue, at most `concurrency` at once, for one `work()` call. */
export class QueueWorker<TPayload> {
  private readonly active = new Map<string, ActiveRun>();
  private readonly leaseMs: number;
  private started = false;
  private filling: Promise<void> | undefined;
  private fillAgain = false;
  private expiredLeasesCheckedAt = -Infinity;
  private pollTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: QueueWorkerDeps,
    readonly queue: string,
    private readonly options: WorkOptions,
    private readonly handler: JobHandler<TPayload>,
  ) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new ParleyError('invalid_params', `Job worker concurrency must be a positive integer, got ${options.concurrency}`);
    }
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.wake();
  }

  /** Looks for work now: a job was enqueued here, or a slot or a serial key became free. */
  wake(): void {
    if (this.started) void this.fillFreeSlots();
  }

  /** Stops claiming, aborts running handlers, waits up to the stop timeout for them to settle. */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.pollTimer);
    // A claim in flight finishes (and gives its job back) before we count what is running.
    await this.filling;
    const runs = [...this.active.values()];
    for (const run of runs) {
      // The lease must lapse if the handler ignores the signal, so another worker can resume the job.
      run.stopHeartbeat();
      run.controller.abort(new ParleyError('cancelled', `The job queue is stopping (queue ${this.queue})`));
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.deps.stopTimeoutMs)));
    const outcome = await Promise.race([Promise.all(runs.map((run) => run.settled)), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.deps.logger?.warn(
        { queue: this.queue, jobs: [...this.active.keys()] },
        'Job handlers still running after the stop timeout; their leases will expire and another worker will resume them',
      );
    }
  }

  private fillFreeSlots(): Promise<void> {
    // One filler at a time; a wake during a fill makes it look once more instead of racing it.
    if (this.filling) {
      this.fillAgain = true;
      return this.filling;
    }
    this.filling = this.fillUntilNothingClaimable().finally(() => {
      this.filling = undefined;
      if (this.started) this.pollTimer = setTimeout(() => void this.fillFreeSlots(), this.deps.pollMs);
    });
    return this.filling;
  }

  private async fillUntilNothingClaimable(): Promise<void> {
    clearTimeout(this.pollTimer);
    try {
      do {
        this.fillAgain = false;
        while (this.started && this.active.size < this.options.concurrency) {
          if (!(await this.claimSomeJobs())) break;
        }
      } while (this.fillAgain && this.started);
    } catch (error) {
      this.deps.logger?.error({ queue: this.queue, err: error }, 'Job queue could not claim jobs; trying again at the next poll');
    }
  }

  /** Claims up to the free slots; false when there is nothing more to look for now. */
  private async claimSomeJobs(): Promise<boolean> {
    const now = this.deps.now();
    const free = this.options.concurrency - this.active.size;
    // Expired leases need looking for only once per poll interval, not on every local wake; a clock
    // rather than the poll timer decides, because a busy worker's fills keep pushing that timer back.
    const includeExpiredLeases = now - this.expiredLeasesCheckedAt >= this.deps.pollMs;
    if (includeExpiredLeases) this.expiredLeasesCheckedAt = now;
    const candidates = await this.deps.table.findClaimCandidates(this.queue, now, free, includeExpiredLeases);
    let claimedAny = false;
    for (const candidate of candidates) {
      if (!this.started || this.active.size >= this.options.concurrency) break;
      if (candidate.status === 'running' && candidate.attempts >= candidate.maxAttempts) {
        if (await this.deps.table.deadLetterAbandoned(candidate.id, now)) {
          this.notifyFinished('dead', 0);
          claimedAny = true;
        }
        continue;
      }
      const leaseToken = randomUUID();
      const row = await this.deps.table.claim(candidate.id, leaseToken, this.deps.now(), this.leaseMs);
      if (!row) continue;
      if (!this.started) {
        await this.deps.table.release(candidate.id, leaseToken, this.deps.now());
        break;
      }
      this.run(row, leaseToken);
      claimedAny = true;
    }
    // Fewer candidates than asked for were all there was: another look now would find nothing (an
    // enqueue or a finished job meanwhile wakes the worker again).
    return claimedAny && candidates.length >= free;
  }

  private run(row: JobRow, leaseToken: string): void {
    const controller = new AbortController();
    const heartbeat = setInterval(() => void this.renewLease(row.id, leaseToken, controller), Math.max(1, Math.floor(this.leaseMs / 3)));
    const run: ActiveRun = {
      controller,
      stopHeartbeat: () => clearInterval(heartbeat),
      settled: Promise.resolve(),
    };
    this.active.set(row.id, run);
    // The payload is what was enqueued, parsed but unchecked: handlers validate what came from outside.
    const job = { ...jobFromRow(row), signal: controller.signal } as RunningJob<TPayload>;
    run.settled = this.runHandler(job, leaseToken, controller).finally(() => {
      run.stopHeartbeat();
      this.active.delete(row.id);
      this.wake();
    });
  }

  private async runHandler(job: RunningJob<TPayload>, leaseToken: string, controller: AbortController): Promise<void> {
    const started = performance.now();
    let outcome: JobOutcome;
    try {
      outcome = await this.attempt(job, leaseToken, controller.signal);
    } catch (error) {
      this.deps.logger?.error({ queue: job.queue, jobId: job.id, err: error }, 'Could not record the end of a job; its lease will expire and it will run again');
      return;
    }
    this.notifyFinished(outcome, performance.now() - started);
  }

  private notifyFinished(outcome: JobOutcome, ms: number): void {
    try {
      this.deps.observer?.onJobFinished?.(this.queue, outcome, ms);
    } catch (error) {
      // A metrics hook must not turn a finished job into an unhandled rejection.
      this.deps.logger?.warn({ queue: this.queue, err: error }, 'Job observer failed');
    }
  }

  private async attempt(job: RunningJob<TPayload>, leaseToken: string, signal: AbortSignal): Promise<JobOutcome> {
    try {
      await this.handler(job);
    } catch (error) {
      return this.recordFailure(job, leaseToken, signal, error);
    }
    if (await this.deps.table.complete(job.id, leaseToken, this.deps.now())) return 'done';
    this.deps.logger?.warn({ queue: job.queue, jobId: job.id }, 'Job finished after its lease was taken over; the other worker owns it now');
    return 'lease-lost';
  }

  private async recordFailure(job: RunningJob<TPayload>, leaseToken: string, signal: AbortSignal, error: unknown): Promise<JobOutcome> {
    const now = this.deps.now();
    if (signal.aborted && isCancelled(signal.reason)) {
      return (await this.deps.table.release(job.id, leaseToken, now)) ? 'released' : 'lease-lost';
    }
    const message = error instanceof Error ? error.message : String(error);
    if (job.attempts >= job.maxAttempts) {
      return (await this.deps.table.deadLetter(job.id, leaseToken, message, now)) ? 'dead' : 'lease-lost';
    }
    const runAt = now + retryDelayMs(job.attempts, this.options.backoff);
    return (await this.deps.table.scheduleRetry(job.id, leaseToken, runAt, message, now)) ? 'retry' : 'lease-lost';
  }

  private async renewLease(id: string, leaseToken: string, controller: AbortController): Promise<void> {
    if (controller.signal.aborted) return;
    try {
      const now = this.deps.now();
      if (!(await this.deps.table.renewLease(id, leaseToken, now + this.leaseMs, now))) {
        controller.abort(new ParleyError('conflict', `Lost the lease on job ${id}: another worker took it over`));
      }
    } catch (error) {
      // A failed renewal is not a lost lease yet; the next heartbeat may still make it in time.
      this.deps.logger?.warn({ queue: this.queue, jobId: id, err: error }, 'Could not renew a job lease');
    }
  }
}

function isCancelled(reason: unknown): boolean {
  return reason instanceof ParleyError && reason.code === 'cancelled';
}
