import { describe, expect, it } from 'vitest';
import { createDeltaBuffer, type FrameScheduler } from '../../../../renderer/src/panels/conversation/delta-buffer';

function manualFrames() {
  const callbacks = new Map<number, () => void>();
  let next = 1;
  const scheduler: FrameScheduler = {
    request: (callback) => {
      callbacks.set(next, callback);
      return next++;
    },
    cancel: (handle) => void callbacks.delete(handle),
  };
  const frame = () => {
    const due = [...callbacks.values()];
    callbacks.clear();
    due.forEach((callback) => callback());
  };
  return { scheduler, frame, scheduled: () => callbacks.size };
}

describe('createDeltaBuffer', () => {
  it('hands over everything that arrived within a frame at once', () => {
    const frames = manualFrames();
    const flushed: string[] = [];
    const buffer = createDeltaBuffer((text) => flushed.push(text), frames.scheduler);
    buffer.push('Hel');
    buffer.push('lo');
    buffer.push(' world');
    expect(frames.scheduled()).toBe(1);
    expect(flushed).toEqual([]);
    frames.frame();
    expect(flushed).toEqual(['Hello world']);
    buffer.push('!');
    frames.frame();
    expect(flushed).toEqual(['Hello world', '!']);
  });

  it('flushes at once on demand and does not flush the same text again', () => {
    const frames = manualFrames();
    const flushed: string[] = [];
    const buffer = createDeltaBuffer((text) => flushed.push(text), frames.scheduler);
    buffer.push('before the tool');
    buffer.flush();
    expect(flushed).toEqual(['before the tool']);
    expect(frames.scheduled()).toBe(0);
    frames.frame();
    expect(flushed).toEqual(['before the tool']);
  });

  it('drops pending text when discarded', () => {
    const frames = manualFrames();
    const flushed: string[] = [];
    const buffer = createDeltaBuffer((text) => flushed.push(text), frames.scheduler);
    buffer.push('void after a fallback');
    buffer.discard();
    frames.frame();
    buffer.flush();
    expect(flushed).toEqual([]);
  });

  it('ignores empty deltas', () => {
    const frames = manualFrames();
    const buffer = createDeltaBuffer(() => undefined, frames.scheduler);
    buffer.push('');
    expect(frames.scheduled()).toBe(0);
  });
});
