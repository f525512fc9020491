/**
 * What the window may navigate to, open, and ask for. Pure decisions; window.ts applies them.
 * `appUrl` is where the renderer was loaded from: the dev server URL or file:///…/index.html.
 */

export type NavigationDecision = 'allow' | 'open-external' | 'block';

/** Permissions the console needs: 'media' for the microphone of the voice feature. */
// media: the microphone for voice; clipboard-sanitized-write: the answers' Copy button.
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['media', 'clipboard-sanitized-write']);

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Web pages the system browser should show instead of the app window. */
export function isExternalUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && (parsed.protocol === 'http:' || parsed.protocol === 'https:');
}

/** Same origin as the app; for a file:// app, any file (file URLs have no real origin). */
export function isAppOrigin(url: string, appUrl: string): boolean {
  const target = parse(url);
  const app = parse(appUrl);
  if (!target || !app) return false;
  if (app.protocol === 'file:') return target.protocol === 'file:';
  return target.origin === app.origin;
}

/** The app's own page: its origin, and for a file:// app exactly its index.html (any hash or query). */
export function isAppPage(url: string, appUrl: string): boolean {
  const target = parse(url);
  const app = parse(appUrl);
  if (!target || !app) return false;
  if (app.protocol === 'file:') return target.protocol === 'file:' && target.pathname === app.pathname;
  return target.origin === app.origin;
}

export function decideNavigation(url: string, appUrl: string): NavigationDecision {
  if (isAppPage(url, appUrl)) return 'allow';
  return isExternalUrl(url) ? 'open-external' : 'block';
}

/** The app never opens windows of its own; web links go to the system browser. */
export function decideWindowOpen(url: string, appUrl: string): Exclude<NavigationDecision, 'allow'> {
  return isExternalUrl(url) && !isAppPage(url, appUrl) ? 'open-external' : 'block';
}

export interface PermissionRequestFacts {
  /** The requesting frame's URL (permission requests) or origin (permission checks). */
  requestingUrl: string | undefined;
  /** 'audio' is the microphone, 'video' the camera. */
  mediaTypes: readonly string[];
}

/** Only the app's own page gets a permission, and of media only the microphone. */
export function decidePermission(permission: string, facts: PermissionRequestFacts, appUrl: string): boolean {
  if (!ALLOWED_PERMISSIONS.has(permission)) return false;
  if (facts.requestingUrl === undefined || !isAppOrigin(facts.requestingUrl, appUrl)) return false;
  if (permission === 'media') return facts.mediaTypes.every((type) => type === 'audio');
  return true;
}
