import { describe, expect, it } from 'vitest';
import { Pacer, sendsPerSecondWithin, type PacerLimits } from '../../../backend/whatsapp/outbound/pacer';

const LIMITS: PacerLimits = { perNumberPerSecond: 1000, perRecipientIntervalMs: 6_000, perRecipientBurst: 3 };

/** A clock the test moves; `take` waits in real time for what is left, so waits here stay short. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function takesWithoutWaiting(pacer: Pacer, recipient: string, count: number): Promise<number> {
  let taken = 0;
  for (let index = 0; index < count; index++) {
    // A take that has to wait is called off: left waiting, it would take a token the test counts later.
    const waiting = new AbortController();
    const outcome = await Promise.race([pacer.take(recipient, waiting.signal).then(() => 'taken', () => 'called off'), new Promise((resolve) => setTimeout(() => resolve('waits'), 50))]);
    if (outcome !== 'taken') {
      waiting.abort();
      break;
    }
    taken += 1;
  }
  return taken;
}

/** One take each for `count` recipients never seen before: only the per-number bucket can hold them back. */
async function takesToDistinctRecipients(pacer: Pacer, count: number, prefix: string): Promise<number> {
  let taken = 0;
  for (let index = 0; index < count; index++) taken += await takesWithoutWaiting(pacer, `${prefix}-${index}`, 1);
  return taken;
}

describe('the per-recipient pacer', () => {
  it('allows a burst, then one message per interval', async () => {
    const time = clock();
    const pacer = new Pacer(LIMITS, time.now);
    expect(await takesWithoutWaiting(pacer, 'a', 5)).toBe(3);
  });

  it('after a restart, starts from the sends the store recorded: no new burst to someone who just had one', async () => {
    const time = clock();
    const asked: Array<[string, number]> = [];
    // The previous process sent three messages to "a" in the last seconds, none to "b".
    const history = async (recipient: string, since: number) => {
      asked.push([recipient, since]);
      return recipient === 'a' ? [time.now() - 3_000, time.now() - 2_000, time.now() - 1_000] : [];
    };
    const pacer = new Pacer(LIMITS, time.now, history);
    expect(await takesWithoutWaiting(pacer, 'a', 3)).toBe(0);
    expect(await takesWithoutWaiting(pacer, 'b', 5)).toBe(3);
    // It looks back one full burst of intervals, once per recipient.
    expect(asked).toEqual([
      ['a', time.now() - 18_000],
      ['b', time.now() - 18_000],
    ]);
    // Refilled by the time that passed since those sends: one token per interval.
    time.advance(4_000);
    expect(await takesWithoutWaiting(pacer, 'a', 3)).toBe(1);
  });

  it('starts full when the history cannot be read (pacing is a courtesy, not a reason to fail a send)', async () => {
    const pacer = new Pacer(LIMITS, clock().now, async () => {
      throw new Error('store closed');
    });
    expect(await takesWithoutWaiting(pacer, 'a', 5)).toBe(3);
  });
});

describe('the per-number pacer', () => {
  it('keeps seven eighths of the number’s throughput tier for its sends', () => {
    expect(sendsPerSecondWithin(80)).toBe(70);
    expect(sendsPerSecondWithin(1000)).toBe(875);
    expect(sendsPerSecondWithin(1)).toBe(1);
  });

  it('paces to a new rate at once when the tier changes, whoever the recipients are', async () => {
    const time = clock();
    const pacer = new Pacer(LIMITS, time.now);
    const toEach = (count: number) => takesToDistinctRecipients(pacer, count, `r${time.now()}`);
    expect(await toEach(10)).toBe(10);
    pacer.setPerNumberPerSecond(2);
    // What was left of the old rate's burst is capped to the new rate.
    expect(await toEach(5)).toBe(2);
    time.advance(1_000);
    expect(await toEach(5)).toBe(2);
  });

  it('counts the messages the number received against the same rate, with at most a second of debt', async () => {
    const time = clock();
    const pacer = new Pacer({ ...LIMITS, perNumberPerSecond: 10 }, time.now);
    const toEach = (count: number) => takesToDistinctRecipients(pacer, count, `r${time.now()}`);
    pacer.countInbound(6);
    expect(await toEach(10)).toBe(4);
    // A flood far past the rate: a second's worth of debt, no more.
    pacer.countInbound(1_000);
    time.advance(1_000);
    expect(await toEach(10)).toBe(0);
    time.advance(1_000);
    expect(await toEach(20)).toBe(10);
  });
});
