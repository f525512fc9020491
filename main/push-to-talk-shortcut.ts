/**
 * Push-to-talk from anywhere in the desktop: a global shortcut. The OS reports only the press of a
 * global shortcut, not its release, so outside the window it toggles (press to talk, press again
 * to send). Inside the window the page's own key handler keeps hold-to-talk, so the shortcut is
 * registered only while the window is not focused (a registered global shortcut would swallow the
 * page's keydown and keyup).
 */
export const PUSH_TO_TALK_ACCELERATOR = 'CommandOrControl+Shift+Space';

export interface ShortcutRegistrar {
  /** false when another application holds the shortcut. */
  register(accelerator: string, pressed: () => void): boolean;
  unregister(accelerator: string): void;
}

export interface ShortcutWindow {
  isFocused(): boolean;
  on(event: 'focus' | 'blur' | 'closed', listener: () => void): void;
  /** Tells the page the shortcut was pressed. */
  notifyPushToTalk(): void;
}

export function bindGlobalPushToTalk(window: ShortcutWindow, registrar: ShortcutRegistrar, warn: (message: string) => void): void {
  let registered = false;
  let warned = false;
  const register = () => {
    if (registered) return;
    registered = registrar.register(PUSH_TO_TALK_ACCELERATOR, () => window.notifyPushToTalk());
    if (!registered && !warned) {
      warned = true;
      warn(`${PUSH_TO_TALK_ACCELERATOR} is taken by another application: push-to-talk from outside Parley is off`);
    }
  };
  const unregister = () => {
    if (!registered) return;
    registrar.unregister(PUSH_TO_TALK_ACCELERATOR);
    registered = false;
  };
  window.on('blur', register);
  window.on('focus', unregister);
  window.on('closed', unregister);
  if (!window.isFocused()) register();
}
