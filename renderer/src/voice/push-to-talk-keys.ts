export interface KeyFacts {
  code: string;
  key: string;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

export interface FocusFacts {
  /** Focus is inside the panel that holds the mic control. */
  inPanel: boolean;
  /** Focus is on the push-to-talk button itself. */
  onTalkButton: boolean;
  /** Space means something else there: typing, or pressing another control. */
  spaceIsTaken: boolean;
}

const isSpace = (event: KeyFacts) => event.code === 'Space' || event.key === ' ';

/** Ctrl+Shift+Space talks from anywhere in the page, even while typing. */
export function isTalkChord(event: KeyFacts): boolean {
  return isSpace(event) && event.ctrlKey && event.shiftKey && !event.altKey && !event.metaKey;
}

/** Plain Space talks while focus is in the panel, unless it would type a space or press another control. */
export function isPanelSpace(event: KeyFacts, focus: FocusFacts): boolean {
  if (!isSpace(event) || event.ctrlKey || event.shiftKey || event.altKey || event.metaKey) return false;
  return focus.onTalkButton || (focus.inPanel && !focus.spaceIsTaken);
}

/** Releasing Space, Ctrl or Shift ends a chord; releasing Space ends a plain Space. */
export function endsTalkKey(event: Pick<KeyFacts, 'code' | 'key'>, startedWithChord: boolean): boolean {
  if (isSpace(event as KeyFacts)) return true;
  return startedWithChord && (event.key === 'Control' || event.key === 'Shift');
}

const TAKES_SPACE = new Set(['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A', 'SUMMARY', 'OPTION']);
const TAKES_SPACE_ROLES = new Set(['textbox', 'button', 'checkbox', 'radio', 'switch', 'menuitem', 'option', 'tab', 'link', 'combobox', 'slider', 'spinbutton']);

/** Whether Space already does something on this element. */
export function spaceIsTaken(element: { tagName: string; isContentEditable?: boolean; getAttribute(name: string): string | null } | null): boolean {
  if (!element) return false;
  if (element.isContentEditable) return true;
  if (TAKES_SPACE.has(element.tagName.toUpperCase())) return true;
  return TAKES_SPACE_ROLES.has(element.getAttribute('role') ?? '');
}
