import { describe, expect, it } from 'vitest';
import { SampleQueue } from '../../../renderer/src/voice/dsp/sample-queue';

const ones = (n: number) => new Float32Array(n).fill(1);

describe('SampleQueue', () => {
  it('plays chunks back to back across render quanta and pads with silence', () => {
    const queue = new SampleQueue();
    queue.push(Float32Array.from([1, 2, 3]));
    queue.push(Float32Array.from([4, 5]));
    const out = new Float32Array(4);
    expect(queue.read(out)).toBe(4);
    expect([...out]).toEqual([1, 2, 3, 4]);
    expect(queue.read(out)).toBe(1);
    expect([...out]).toEqual([5, 0, 0, 0]);
    expect(queue.available).toBe(0);
  });

  it('stops within the fade: queued audio after it is dropped and the fade reaches silence', () => {
    const queue = new SampleQueue();
    for (let i = 0; i < 100; i++) queue.push(ones(480));
    queue.stop(192);
    expect(queue.available).toBe(192);
    const first = new Float32Array(128);
    const second = new Float32Array(128);
    expect(queue.read(first)).toBe(128);
    expect(queue.read(second)).toBe(64);
    expect(first[0]).toBeLessThan(1);
    for (let i = 1; i < 128; i++) expect(first[i]).toBeLessThan(first[i - 1]!);
    expect(second[63]).toBe(0);
    expect(queue.available).toBe(0);
  });

  it('plays what is pushed after a stop at full level, once the fade is over', () => {
    const queue = new SampleQueue();
    queue.push(ones(1000));
    queue.stop(10);
    queue.push(ones(20));
    const out = new Float32Array(30);
    expect(queue.read(out)).toBe(30);
    expect(out[9]).toBe(0);
    expect(out[10]).toBe(1);
    expect(out[29]).toBe(1);
  });

  it('stops at once when nothing is queued, and clear() drops everything', () => {
    const queue = new SampleQueue();
    queue.stop(100);
    expect(queue.available).toBe(0);
    queue.push(ones(10));
    queue.clear();
    expect(queue.read(new Float32Array(4))).toBe(0);
  });
});
