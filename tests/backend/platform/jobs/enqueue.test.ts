import { describe, expect, it } from 'vitest';
import type { EnqueueResult } from '../../../../backend/platform/jobs';
import { useJobQueues, waitForLine } from './job-queue-harness';

const jobs = useJobQueues();

describe('job queue: enqueue', () => {
  it('keeps one job per idempotency key under concurrent enqueues from two connections and two processes', async () => {
    const dataDir = await jobs.dataDir();
    const firstStore = await jobs.openStore(dataDir);
    const first = jobs.queueOn(firstStore);
    const second = jobs.queueOn(await jobs.openStore(dataDir));
    const children = [jobs.spawnWorkerProcess(['enqueue', dataDir, 'inbound', 'wamid.1', '10']), jobs.spawnWorkerProcess(['enqueue', dataDir, 'inbound', 'wamid.1', '10'])];
    await Promise.all(children.map((child) => waitForLine(child, /^ready$/)));

    const childResults = children.map((child) => collectResults(child));
    for (const child of children) child.stdin.write('go\n');
    const local = await Promise.all(
      Array.from({ length: 20 }, (_, index) => (index % 2 ? first : second).enqueue('inbound', { index }, { idempotencyKey: 'wamid.1' })),
    );
    const results = [...local, ...(await Promise.all(childResults)).flat()];

    expect(results).toHaveLength(40);
    expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
    expect(new Set(results.map((result) => result.id)).size).toBe(1);
    const stored = await first.list({ queue: 'inbound' });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.id).toBe(results[0]?.id);
  });

  it('stores the payload as JSON and the options as given; without a key nothing is a duplicate', async () => {
    const queue = jobs.queueOn(await jobs.openStore(await jobs.dataDir()), { clock: { now: () => 1_000 } });
    const first = await queue.enqueue('ingest', { file: 'a.pdf', pages: [1, 2] }, { serialKey: 'doc-1', maxAttempts: 3, runAt: new Date(5_000) });
    const second = await queue.enqueue('ingest', { file: 'a.pdf', pages: [1, 2] });

    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(false);
    expect(second.id).not.toBe(first.id);
    expect(await queue.get(first.id)).toMatchObject({
      queue: 'ingest',
      payload: { file: 'a.pdf', pages: [1, 2] },
      serialKey: 'doc-1',
      idempotencyKey: null,
      status: 'queued',
      attempts: 0,
      maxAttempts: 3,
      runAt: 5_000,
      createdAt: 1_000,
    });
    expect(await queue.get('no-such-job')).toBeUndefined();
    expect(await queue.counts()).toEqual([{ queue: 'ingest', queued: 2, running: 0, done: 0, dead: 0 }]);
    await expect(queue.enqueue('ingest', undefined)).rejects.toThrow(/JSON/);
    await expect(queue.enqueue('ingest', {}, { maxAttempts: 0 })).rejects.toThrow(/maxAttempts/);
  });

  it('keeps a done job so its idempotency key stays a duplicate, until purgeFinished removes it', async () => {
    let now = 10_000;
    const queue = jobs.queueOn(await jobs.openStore(await jobs.dataDir()), { clock: { now: () => now } });
    const handled: unknown[] = [];
    queue.work('inbound', { concurrency: 1 }, async (job) => void handled.push(job.payload));
    queue.start();
    const { id } = await queue.enqueue('inbound', { text: 'hi' }, { idempotencyKey: 'wamid.7' });
    await expect.poll(async () => (await queue.get(id))?.status).toBe('done');

    expect((await queue.enqueue('inbound', { text: 'hi' }, { idempotencyKey: 'wamid.7' })).duplicate).toBe(true);
    expect(await queue.purgeFinished(now)).toBe(0);
    now += 1;
    expect(await queue.purgeFinished(now)).toBe(1);
    expect((await queue.enqueue('inbound', { text: 'hi again' }, { idempotencyKey: 'wamid.7' })).duplicate).toBe(false);
    await expect.poll(() => handled.length).toBe(2);
  });
});

function collectResults(child: ReturnType<ReturnType<typeof useJobQueues>['spawnWorkerProcess']>): Promise<EnqueueResult[]> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/^done$/m.test(output)) {
        resolve([...output.matchAll(/^result (.+)$/gm)].map((match) => JSON.parse(match[1]!) as EnqueueResult));
      }
    });
    child.once('exit', (code) => reject(new Error(`enqueue process exited with ${code} before it was done`)));
  });
}
