import { describe, expect, it } from 'vitest';
import { retryDelayMs, type JobOutcome } from '../../../../backend/platform/jobs';
import { useJobQueues, waitUntil } from './job-queue-harness';

const jobs = useJobQueues();

describe('job queue: retries and dead letters', () => {
  it('dead-letters a job after its fifth failure, keeping the last error, and shows it in list and counts', async () => {
    const outcomes: JobOutcome[] = [];
    const queue = jobs.queueOn(await jobs.openStore(await jobs.dataDir()), { observer: { onJobFinished: (_queue, outcome) => outcomes.push(outcome) } });
    queue.work('ingest', { concurrency: 1, backoff: { baseMs: 5, jitter: 0 } }, async (job) => {
      throw new Error(`parse failed on attempt ${job.attempts}`);
    });
    queue.start();
    const { id } = await queue.enqueue('ingest', { file: 'broken.pdf' });

    await waitUntil(async () => (await queue.get(id))?.status === 'dead', 5000, 'the job to be dead');
    expect(await queue.get(id)).toMatchObject({ status: 'dead', attempts: 5, maxAttempts: 5, lastError: 'parse failed on attempt 5', lockedUntil: null });
    expect((await queue.get(id))?.finishedAt).toEqual(expect.any(Number));
    expect(outcomes).toEqual(['retry', 'retry', 'retry', 'retry', 'dead']);
    expect((await queue.list({ status: 'dead' })).map((job) => job.id)).toEqual([id]);
    expect(await queue.list({ status: 'queued' })).toEqual([]);
    expect(await queue.counts()).toEqual([{ queue: 'ingest', queued: 0, running: 0, done: 0, dead: 1 }]);
  });

  it('runs a dead job again after retry(id), with fresh attempts', async () => {
    const queue = jobs.queueOn(await jobs.openStore(await jobs.dataDir()));
    let healthy = false;
    let runs = 0;
    queue.work('ingest', { concurrency: 1, backoff: { baseMs: 5 } }, async () => {
      runs += 1;
      if (!healthy) throw new Error('OCR engine missing');
    });
    queue.start();
    const { id } = await queue.enqueue('ingest', {}, { maxAttempts: 2 });
    await waitUntil(async () => (await queue.get(id))?.status === 'dead', 3000, 'the job to be dead');
    expect(runs).toBe(2);

    healthy = true;
    await queue.retry(id);
    await waitUntil(async () => (await queue.get(id))?.status === 'done', 3000, 'the retried job to be done');
    expect(runs).toBe(3);
    expect(await queue.get(id)).toMatchObject({ attempts: 1, lastError: 'OCR engine missing' });
    await expect(queue.retry(id)).rejects.toThrow(/is done; only a dead job/);
    await expect(queue.retry('no-such-job')).rejects.toThrow(/No job/);
  });

  it('waits longer before each further attempt', async () => {
    const queue = jobs.queueOn(await jobs.openStore(await jobs.dataDir()), { pollMs: 5 });
    const startedAt: number[] = [];
    queue.work('ingest', { concurrency: 1, backoff: { baseMs: 50, factor: 2, jitter: 0.1 } }, async () => {
      startedAt.push(performance.now());
      throw new Error('still failing');
    });
    queue.start();
    const { id } = await queue.enqueue('ingest', {}, { maxAttempts: 5 });
    await waitUntil(async () => (await queue.get(id))?.status === 'dead', 5000, 'the job to be dead');

    const gaps = startedAt.slice(1).map((at, index) => at - startedAt[index]!);
    expect(gaps).toHaveLength(4);
    for (const [index, gap] of gaps.entries()) {
      expect(gap).toBeGreaterThanOrEqual(50 * 2 ** index * 0.9 - 1);
      if (index > 0) expect(gap).toBeGreaterThan(gaps[index - 1]!);
    }
  });

  it('computes the delay as exponential, capped, and shortened by at most the jitter share', () => {
    const policy = { baseMs: 100, factor: 3, maxMs: 2000, jitter: 0.5 };
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, () => 0))).toEqual([100, 300, 900, 2000]);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, () => 1))).toEqual([50, 150, 450, 1000]);
    expect(retryDelayMs(1)).toBeGreaterThanOrEqual(750);
    expect(retryDelayMs(1)).toBeLessThanOrEqual(1000);
  });
});

describe('job queue: stop', () => {
  it('aborts running handlers, waits for them, and gives their jobs back without counting the attempt', async () => {
    const outcomes: JobOutcome[] = [];
    const queue = jobs.queueOn(await jobs.openStore(await jobs.dataDir()), { observer: { onJobFinished: (_queue, outcome) => outcomes.push(outcome) } });
    let settled = false;
    queue.work('ingest', { concurrency: 2 }, async (job) => {
      await new Promise((_resolve, reject) => job.signal.addEventListener('abort', () => reject(job.signal.reason as Error)));
      await new Promise((resolve) => setTimeout(resolve, 50)); // cleanup that stop() must wait for
      settled = true;
    });
    queue.start();
    const { id } = await queue.enqueue('ingest', {});
    await waitUntil(async () => (await queue.get(id))?.status === 'running', 2000, 'the job to run');

    await queue.stop();
    expect(outcomes).toEqual(['released']);
    expect(settled).toBe(false); // it rejected on abort, before the cleanup line
    expect(await queue.get(id)).toMatchObject({ status: 'queued', attempts: 0, lockedUntil: null });
  });

  it('completes a handler that finishes its work after the abort', async () => {
    const queue = jobs.queueOn(await jobs.openStore(await jobs.dataDir()));
    let aborted = false;
    queue.work('ingest', { concurrency: 1 }, async (job) => {
      await new Promise((resolve) => job.signal.addEventListener('abort', resolve));
      aborted = true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    queue.start();
    const { id } = await queue.enqueue('ingest', {});
    await waitUntil(async () => (await queue.get(id))?.status === 'running', 2000, 'the job to run');

    await queue.stop();
    expect(aborted).toBe(true);
    expect((await queue.get(id))?.status).toBe('done');
  });

  it('gives up waiting after the stop timeout, leaving the job to its lease', async () => {
    const warnings: string[] = [];
    const queue = jobs.queueOn(await jobs.openStore(await jobs.dataDir()), {
      stopTimeoutMs: 150,
      logger: { warn: (_details, message) => warnings.push(message), error: () => {} },
    });
    let signal: AbortSignal | undefined;
    queue.work('ingest', { concurrency: 1, leaseMs: 60_000 }, async (job) => {
      signal = job.signal;
      await new Promise(() => {});
    });
    queue.start();
    const { id } = await queue.enqueue('ingest', {});
    await waitUntil(async () => signal, 2000, 'the job to run');

    const stopping = performance.now();
    await queue.stop();
    expect(performance.now() - stopping).toBeLessThan(1000);
    expect(signal?.aborted).toBe(true);
    expect(warnings).toEqual([expect.stringMatching(/still running after the stop timeout/)]);
    expect((await queue.get(id))?.status).toBe('running');
    expect(await queue.enqueue('ingest', {})).toMatchObject({ duplicate: false }); // enqueue still works when stopped
  });
});
