import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the job queue in Diagnostics', () => {
  let backend: TestBackend;
  beforeEach(async () => {
    backend = await startTestBackend();
  });
  afterEach(async () => backend.close());

  it('shows a job that failed every attempt as a dead letter with its error, and Retry runs it again', async () => {
    let failuresLeft = 1;
    const ran: string[] = [];
    const worker = backend.backend.jobs.work('test.ingest', { concurrency: 1, backoff: { baseMs: 10 } }, async (job) => {
      ran.push(job.id);
      if (failuresLeft-- > 0) throw new Error('the PDF is encrypted');
    });
    const { id } = await backend.backend.jobs.enqueue('test.ingest', { file: 'a.pdf' }, { maxAttempts: 1 });

    const dead = await until(() => backend.call('diagnostics.jobs', { status: 'dead' }), (state) => state.jobs.length === 1);
    expect(dead.jobs[0]).toMatchObject({ id, queue: 'test.ingest', status: 'dead', attempts: 1, lastError: expect.stringContaining('the PDF is encrypted') });
    expect(dead.counts).toEqual([{ queue: 'test.ingest', queued: 0, running: 0, done: 0, dead: 1 }]);
    const health = await backend.call('diagnostics.health', {});
    expect(health.components.jobs?.detail).toMatch(/1 dead/);

    await backend.call('diagnostics.jobs.retry', { id });
    await until(() => backend.call('diagnostics.jobs', {}), (state) => state.counts[0]?.done === 1);
    expect(ran).toEqual([id, id]);
    await expect(backend.call('diagnostics.jobs.retry', { id: 'no-such-job' })).rejects.toMatchObject({ code: 'not_found' });
    await worker.dispose();
  });
});
