import { describe, expect, it } from 'vitest';
import type { JobOutcome } from '../../../../backend/platform/jobs';
import { useJobQueues, waitForLine, waitUntil } from './job-queue-harness';

const jobs = useJobQueues();
const LEASE_MS = 500;

describe('job queue: leases', () => {
  it('runs a job again after its worker process is SIGKILLed mid-job, and completes it once', async () => {
    const dataDir = await jobs.dataDir();
    const store = await jobs.openStore(dataDir);
    const queue = jobs.queueOn(store);
    const { id } = await queue.enqueue('inbound', { text: 'hello' }, { serialKey: 'contact-1' });
    const later = await queue.enqueue('inbound', { text: 'second' }, { serialKey: 'contact-1' });

    const doomed = jobs.spawnWorkerProcess(['hang', dataDir, 'inbound', String(LEASE_MS)]);
    const [, startedThere] = await waitForLine(doomed, /^started (\S+)$/);
    expect(startedThere).toBe(id);
    const exited = new Promise((resolve) => doomed.once('exit', resolve));
    doomed.kill('SIGKILL');
    await exited;
    const leaseEnd = (await queue.get(id))?.lockedUntil ?? NaN;

    const startedHere: Array<{ id: string; at: number }> = [];
    const completedHere: string[] = [];
    queue.work('inbound', { concurrency: 2, leaseMs: LEASE_MS }, async (job) => {
      startedHere.push({ id: job.id, at: Date.now() });
      completedHere.push(job.id);
    });
    queue.start();
    await waitUntil(async () => (await queue.get(later.id))?.status === 'done', 5000, 'both jobs to be done');

    // Started twice in all (once in the killed process, once here), completed once, the later job of
    // the key only after it; and not resumed before the killed worker's lease lapsed.
    expect(startedHere.map((start) => start.id)).toEqual([id, later.id]);
    expect(completedHere.filter((ran) => ran === id)).toHaveLength(1);
    expect(startedHere[0]!.at).toBeGreaterThanOrEqual(leaseEnd);
    expect(startedHere[0]!.at - leaseEnd).toBeLessThan(500);
    expect(await queue.get(id)).toMatchObject({ status: 'done', attempts: 2, lockedUntil: null });
  });

  it('dead-letters a job whose worker died in its last attempt, rather than running it again', async () => {
    const dataDir = await jobs.dataDir();
    const queue = jobs.queueOn(await jobs.openStore(dataDir));
    const { id } = await queue.enqueue('inbound', { poison: true }, { maxAttempts: 1 });
    const doomed = jobs.spawnWorkerProcess(['hang', dataDir, 'inbound', '300']);
    await waitForLine(doomed, /^started /);
    doomed.kill('SIGKILL');

    let ranHere = 0;
    queue.work('inbound', { concurrency: 1 }, async () => void (ranHere += 1));
    queue.start();
    await waitUntil(async () => (await queue.get(id))?.status === 'dead', 5000, 'the job to be dead');
    expect(ranHere).toBe(0);
    expect((await queue.get(id))?.lastError).toMatch(/lease expired/);
  });

  it('lets no zombie complete a job whose lease another worker took over, and aborts its signal', async () => {
    const dataDir = await jobs.dataDir();
    const outcomes: Array<[string, JobOutcome]> = [];
    const zombie = jobs.queueOn(await jobs.openStore(dataDir), {
      observer: { onJobFinished: (_queue, outcome) => outcomes.push(['zombie', outcome]) },
      logger: { warn: () => {}, error: () => {} },
    });
    // The rescuer's clock runs a minute ahead, so it sees the zombie's lease as long expired.
    const rescuer = jobs.queueOn(await jobs.openStore(dataDir), {
      clock: { now: () => Date.now() + 60_000 },
      observer: { onJobFinished: (_queue, outcome) => outcomes.push(['rescuer', outcome]) },
    });
    const { id } = await zombie.enqueue('inbound', {});

    let releaseZombie = () => {};
    let zombieSignal: AbortSignal | undefined;
    zombie.work('inbound', { concurrency: 1, leaseMs: 150 }, async (job) => {
      zombieSignal = job.signal;
      await new Promise<void>((resolve) => (releaseZombie = resolve));
    });
    zombie.start();
    await waitUntil(async () => zombieSignal, 2000, 'the zombie to start');
    let rescues = 0;
    rescuer.work('inbound', { concurrency: 1, leaseMs: 150 }, async () => void (rescues += 1));
    rescuer.start();

    await waitUntil(async () => zombieSignal?.aborted, 2000, "the zombie's heartbeat to notice");
    expect(String(zombieSignal?.reason)).toMatch(/Lost the lease/);
    releaseZombie();
    await waitUntil(async () => outcomes.length === 2, 2000, 'both to finish');
    expect(rescues).toBe(1);
    expect(outcomes).toEqual(expect.arrayContaining([['rescuer', 'done'], ['zombie', 'lease-lost']]));
    expect(await zombie.get(id)).toMatchObject({ status: 'done', attempts: 2 });
  });
});
