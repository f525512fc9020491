import { describe, expect, it } from 'vitest';
import { endsTalkKey, isPanelSpace, isTalkChord, spaceIsTaken, type KeyFacts } from '../../../renderer/src/voice/push-to-talk-keys';

const key = (patch: Partial<KeyFacts> = {}): KeyFacts => ({ code: 'Space', key: ' ', ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...patch });
const element = (tagName: string, role: string | null = null, isContentEditable = false) => ({ tagName, isContentEditable, getAttribute: () => role });

describe('push-to-talk keys', () => {
  it('takes Ctrl+Shift+Space anywhere, and nothing else as the chord', () => {
    expect(isTalkChord(key({ ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(isTalkChord(key({ ctrlKey: true }))).toBe(false);
    expect(isTalkChord(key({ ctrlKey: true, shiftKey: true, altKey: true }))).toBe(false);
    expect(isTalkChord(key({ code: 'KeyA', key: 'A', ctrlKey: true, shiftKey: true }))).toBe(false);
  });

  it('takes plain Space in the panel unless it would type or press something else', () => {
    const free = { inPanel: true, onTalkButton: false, spaceIsTaken: false };
    expect(isPanelSpace(key(), free)).toBe(true);
    expect(isPanelSpace(key(), { ...free, spaceIsTaken: true })).toBe(false);
    expect(isPanelSpace(key(), { ...free, inPanel: false })).toBe(false);
    expect(isPanelSpace(key(), { inPanel: true, onTalkButton: true, spaceIsTaken: true })).toBe(true);
    expect(isPanelSpace(key({ shiftKey: true }), free)).toBe(false);
  });

  it('ends a chord on Space, Ctrl or Shift, and a plain Space on Space only', () => {
    expect(endsTalkKey({ code: 'Space', key: ' ' }, false)).toBe(true);
    expect(endsTalkKey({ code: 'ControlLeft', key: 'Control' }, true)).toBe(true);
    expect(endsTalkKey({ code: 'ShiftRight', key: 'Shift' }, true)).toBe(true);
    expect(endsTalkKey({ code: 'ControlLeft', key: 'Control' }, false)).toBe(false);
  });

  it('knows where Space already means something', () => {
    expect(spaceIsTaken(element('TEXTAREA'))).toBe(true);
    expect(spaceIsTaken(element('input'))).toBe(true);
    expect(spaceIsTaken(element('BUTTON'))).toBe(true);
    expect(spaceIsTaken(element('DIV', null, true))).toBe(true);
    expect(spaceIsTaken(element('DIV', 'checkbox'))).toBe(true);
    expect(spaceIsTaken(element('DIV'))).toBe(false);
    expect(spaceIsTaken(element('MAIN'))).toBe(false);
    expect(spaceIsTaken(null)).toBe(false);
  });
});
