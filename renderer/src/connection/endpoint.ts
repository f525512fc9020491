import type { BackendEndpoint } from '../../../preload/api';

const TOKEN_KEY = 'parley.token';

/**
 * Where the backend is. In the desktop app the preload tells us (a fresh token per launch); in the
 * web console the backend is this page's origin and the token comes from the `#token=` link that
 * `npm run server` prints, or from the prompt, and is kept for this tab only.
 */
export async function resolveEndpoint(): Promise<BackendEndpoint | null> {
  if (window.parley) return window.parley.getBackend();
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  return { url: window.location.origin, token };
}

export function rememberWebConsoleToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token.trim());
}

export function forgetWebConsoleToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

export function isDesktopApp(): boolean {
  return window.parley !== undefined;
}

export function socketUrl(endpoint: BackendEndpoint): string {
  const url = new URL('/ws', endpoint.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Runs once before the console renders: the link `npm run server` prints carries the token in its hash. */
export function captureTokenFromLocation(): void {
  const match = window.location.hash.match(/(?:^#|&)token=([^&]+)/);
  if (!match?.[1]) return;
  rememberWebConsoleToken(decodeURIComponent(match[1]));
  // The token must not linger in the address bar, history or a shared screenshot.
  history.replaceState(null, '', window.location.pathname + window.location.search);
}
