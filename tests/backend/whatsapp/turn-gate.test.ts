import { afterEach, describe, expect, it } from 'vitest';
import { TurnGate } from '../../../backend/whatsapp/inbound/turn-gate';

const gates: TurnGate[] = [];
afterEach(() => {
  for (const gate of gates.splice(0)) gate.dispose();
});

function gate(options: { max: number; min: number; targetDelayMs?: number; intervalMs?: number }): TurnGate {
  const made = new TurnGate({ targetDelayMs: 20, intervalMs: 50, ...options });
  gates.push(made);
  return made;
}

/** Holds the event loop, as a burst of turn work does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the turn gate', () => {
  it('lets up to its limit in at once; the next waits, in order, until one leaves', async () => {
    const turns = gate({ max: 2, min: 1 });
    const signal = new AbortController().signal;
    const first = await turns.enter(signal);
    await turns.enter(signal);
    const order: string[] = [];
    const third = turns.enter(signal).then((leave) => (order.push('third'), leave));
    const fourth = turns.enter(signal).then((leave) => (order.push('fourth'), leave));
    await tick(20);
    expect(order).toEqual([]);
    first();
    first(); // leaving twice gives back one place only
    await tick(20);
    expect(order).toEqual(['third']);
    (await third)();
    expect(await Promise.race([fourth.then(() => 'in'), tick(50).then(() => 'waiting')])).toBe('in');
  });

  it('halves its limit when the event loop falls behind, and grows back one at a time as it keeps up', async () => {
    const turns = gate({ max: 16, min: 2 });
    expect(turns.allowed).toBe(16);
    // The delay monitor measures from its first tick on.
    await tick(30);
    for (let stall = 0; stall < 3; stall++) {
      const before = turns.allowed;
      busy(60);
      // The stall is measured once the loop runs again, so the gate sees it within two intervals.
      await tick(110);
      // Halved (never below the minimum); the quiet intervals since may have added one back each.
      expect(turns.allowed).toBeLessThanOrEqual(Math.max(2, Math.floor(before / 2)) + 2);
    }
    const low = turns.allowed;
    expect(low).toBeGreaterThanOrEqual(2);
    expect(low).toBeLessThanOrEqual(6);
    // A busy test machine delays timers too: give the loop a few seconds of calm to show it.
    await expect.poll(() => turns.allowed, { timeout: 5_000 }).toBeGreaterThan(low);
  });

  it('a turn stopped while it waits leaves the line', async () => {
    const turns = gate({ max: 1, min: 1 });
    const leave = await turns.enter(new AbortController().signal);
    const stop = new AbortController();
    const waiting = turns.enter(stop.signal);
    stop.abort(new Error('job stopped'));
    await expect(waiting).rejects.toThrow('job stopped');
    leave();
    // The place went to nobody stale: the next comer gets it at once.
    expect(await Promise.race([turns.enter(new AbortController().signal).then(() => 'in'), tick(50).then(() => 'waiting')])).toBe('in');
  });
});
