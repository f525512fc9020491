import { describe, expect, it } from 'vitest';
import { Pacer, type PacerLimits } from '../../../backend/whatsapp/outbound/pacer';

const LIMITS: PacerLimits = { perNumberPerSecond: 1000, perRecipientIntervalMs: 6_000, perRecipientBurst: 3 };

/** A clock the test moves; `take` waits in real time for what is left, so waits here stay short. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function takesWithoutWaiting(pacer: Pacer, recipient: string, count: number): Promise<number> {
  let taken = 0;
  for (let index = 0; index < count; index++) {
    const outcome = await Promise.race([pacer.take(recipient).then(() => 'taken'), new Promise((resolve) => setTimeout(() => resolve('waits'), 50))]);
    if (outcome !== 'taken') break;
    taken += 1;
  }
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
