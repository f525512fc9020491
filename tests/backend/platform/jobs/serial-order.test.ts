import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { useJobQueues, waitUntil } from './job-queue-harness';

const jobs = useJobQueues();

describe('job queue: per-key order and concurrency', () => {
  it('runs each serial key in enqueue order, one at a time, with at most `concurrency` jobs across keys', async () => {
    const queue = jobs.queueOn(await jobs.openStore(await jobs.dataDir()));
    const KEYS = 10;
    const PER_KEY = 50;
    const runningKeys = new Set<string>();
    const ranByKey = new Map<string, number[]>();
    const violations: string[] = [];
    let running = 0;
    let mostRunning = 0;
    queue.work<{ key: string; index: number }>('inbound', { concurrency: 4 }, async ({ payload }) => {
      if (runningKeys.has(payload.key)) violations.push(`${payload.key} ran two jobs at once (${payload.index})`);
      runningKeys.add(payload.key);
      running += 1;
      mostRunning = Math.max(mostRunning, running);
      await sleep(Math.random() * 2);
      ranByKey.set(payload.key, [...(ranByKey.get(payload.key) ?? []), payload.index]);
      running -= 1;
      runningKeys.delete(payload.key);
    });
    queue.start();

    // Interleaved across keys, as messages from many contacts arrive.
    for (let index = 0; index < PER_KEY; index++) {
      for (let key = 0; key < KEYS; key++) await queue.enqueue('inbound', { key: `contact-${key}`, index }, { serialKey: `contact-${key}` });
    }
    await waitUntil(async () => [...ranByKey.values()].flat().length === KEYS * PER_KEY, 10_000, 'every job to run');

    expect(violations).toEqual([]);
    expect(mostRunning).toBeLessThanOrEqual(4);
    expect(mostRunning).toBeGreaterThanOrEqual(2);
    const inOrder = Array.from({ length: PER_KEY }, (_, index) => index);
    for (let key = 0; key < KEYS; key++) expect(ranByKey.get(`contact-${key}`)).toEqual(inOrder);
    await waitUntil(async () => (await queue.counts())[0]?.done === KEYS * PER_KEY, 2000, 'all done in the store');
  });

  it('holds the later jobs of a key while an earlier one waits on its retry backoff, and runs other keys meanwhile', async () => {
    const queue = jobs.queueOn(await jobs.openStore(await jobs.dataDir()));
    const events: string[] = [];
    let failedOnce = false;
    queue.work<{ name: string }>('inbound', { concurrency: 2, backoff: { baseMs: 150, jitter: 0 } }, async ({ payload }) => {
      events.push(payload.name);
      if (payload.name === 'a1' && !failedOnce) {
        failedOnce = true;
        throw new Error('transient');
      }
    });
    await queue.enqueue('inbound', { name: 'a1' }, { serialKey: 'a' });
    await queue.enqueue('inbound', { name: 'a2' }, { serialKey: 'a' });
    queue.start();
    await waitUntil(async () => failedOnce, 2000, 'a1 to fail');
    await queue.enqueue('inbound', { name: 'b1' }, { serialKey: 'b' });
    await waitUntil(async () => events.length === 4, 3000, 'every job to run');

    expect(events).toEqual(['a1', 'b1', 'a1', 'a2']);
  });
});
