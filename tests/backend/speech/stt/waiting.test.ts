import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ExclusiveLane } from '../../../../backend/speech/stt/exclusive-lane';
import { settleWithin } from '../../../../backend/speech/stt/settle-within';

const limits = (budgetMs: number, signal?: AbortSignal) => ({ deadline: performance.now() + budgetMs, budgetMs, what: 'the test', signal });

describe('settleWithin', () => {
  it('passes the result or the failure through', async () => {
    await expect(settleWithin(Promise.resolve(7), limits(1000))).resolves.toBe(7);
    await expect(settleWithin(Promise.reject(new Error('boom')), limits(1000))).rejects.toThrow('boom');
  });

  it('gives up on work that never settles: timeout at the deadline, cancelled on abort', async () => {
    const never = new Promise<never>(() => {});
    await expect(settleWithin(never, limits(20))).rejects.toMatchObject({ code: 'timeout', message: 'The test took longer than 20 ms' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    await expect(settleWithin(never, limits(10_000, controller.signal))).rejects.toMatchObject({ code: 'cancelled' });
    await expect(settleWithin(never, limits(10_000, AbortSignal.abort()))).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('ExclusiveLane', () => {
  it('lets one holder in at a time, in order', async () => {
    const lane = new ExclusiveLane();
    const order: string[] = [];
    const hold = async (name: string, ms: number) => {
      const release = await lane.acquire(limits(5000));
      order.push(`${name} in`);
      await delay(ms);
      order.push(`${name} out`);
      release();
    };
    await Promise.all([hold('a', 30), hold('b', 10), hold('c', 0)]);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
  });

  it('a waiter that gives up does not hold up the ones behind it', async () => {
    const lane = new ExclusiveLane();
    const releaseFirst = await lane.acquire(limits(5000));
    const controller = new AbortController();
    const quitter = lane.acquire(limits(5000, controller.signal));
    const patient = lane.acquire(limits(5000));
    controller.abort();
    await expect(quitter).rejects.toMatchObject({ code: 'cancelled' });
    releaseFirst();
    const releasePatient = await patient;
    releasePatient();
  });
});
