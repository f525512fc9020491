import { describe, expect, it } from 'vitest';
import { bindGlobalPushToTalk, PUSH_TO_TALK_ACCELERATOR, type ShortcutRegistrar, type ShortcutWindow } from '../../main/push-to-talk-shortcut';

class FakeDesktop implements ShortcutRegistrar, ShortcutWindow {
  focused = true;
  taken = false;
  registered = new Map<string, () => void>();
  notified = 0;
  private readonly listeners = new Map<string, Array<() => void>>();

  register(accelerator: string, pressed: () => void): boolean {
    if (this.taken) return false;
    this.registered.set(accelerator, pressed);
    return true;
  }
  unregister(accelerator: string): void {
    this.registered.delete(accelerator);
  }
  isFocused(): boolean {
    return this.focused;
  }
  on(event: 'focus' | 'blur' | 'closed', listener: () => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  notifyPushToTalk(): void {
    this.notified++;
  }
  emit(event: 'focus' | 'blur' | 'closed'): void {
    if (event !== 'closed') this.focused = event === 'focus';
    for (const listener of this.listeners.get(event) ?? []) listener();
  }
  pressShortcut(): void {
    this.registered.get(PUSH_TO_TALK_ACCELERATOR)?.();
  }
}

describe('global push-to-talk shortcut', () => {
  it('reaches the page only while the window is in the background, and frees the keys when it is focused or closed', () => {
    const desktop = new FakeDesktop();
    bindGlobalPushToTalk(desktop, desktop, () => {});
    // Focused: the page handles hold-to-talk itself; a global registration would swallow its keys.
    expect(desktop.registered.size).toBe(0);
    desktop.emit('blur');
    desktop.pressShortcut();
    desktop.pressShortcut();
    expect(desktop.notified).toBe(2);
    desktop.emit('focus');
    expect(desktop.registered.size).toBe(0);
    desktop.pressShortcut();
    expect(desktop.notified).toBe(2);
    desktop.emit('blur');
    desktop.emit('closed');
    expect(desktop.registered.size).toBe(0);
  });

  it('registers at once for a window that opens in the background', () => {
    const desktop = new FakeDesktop();
    desktop.focused = false;
    bindGlobalPushToTalk(desktop, desktop, () => {});
    expect([...desktop.registered.keys()]).toEqual([PUSH_TO_TALK_ACCELERATOR]);
  });

  it('says once that another application holds the shortcut, and keeps trying on later blurs', () => {
    const desktop = new FakeDesktop();
    desktop.taken = true;
    const warnings: string[] = [];
    bindGlobalPushToTalk(desktop, desktop, (message) => warnings.push(message));
    desktop.emit('blur');
    desktop.emit('focus');
    desktop.emit('blur');
    expect(warnings).toEqual([`${PUSH_TO_TALK_ACCELERATOR} is taken by another application: push-to-talk from outside Parley is off`]);
    desktop.taken = false;
    desktop.emit('focus');
    desktop.emit('blur');
    expect(desktop.registered.size).toBe(1);
  });
});
