import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, shell, type Session } from 'electron';
import { failurePageUrl, type FailurePageContent } from './failure-page';
import { decideNavigation, decidePermission, decideWindowOpen, isExternalUrl } from './navigation-policy';

export interface MainWindowOptions {
  /** The dev server URL or the built index.html as a file:// URL; see rendererUrl(). */
  appUrl: string;
  /** out/preload/index.cjs */
  preloadPath: string;
  appVersion: string;
}

/** electron-vite sets ELECTRON_RENDERER_URL in dev; a packaged app only ever loads its own files. */
export function rendererUrl(mainDir: string, isPackaged: boolean): string {
  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (!isPackaged && devServer) return devServer;
  return pathToFileURL(join(mainDir, '..', 'renderer', 'index.html')).href;
}

function openExternal(url: string): void {
  if (!isExternalUrl(url)) return;
  shell.openExternal(url).catch((error: unknown) => console.warn(`Could not open ${url}:`, error));
}

export function createMainWindow({ appUrl, preloadPath, appVersion }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Parley',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      // A sandboxed preload cannot read package.json; it reads the version from argv.
      additionalArguments: [`--parley-version=${appVersion}`],
    },
  });
  window.once('ready-to-show', () => window.show());

  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    if (decideWindowOpen(url, appUrl) === 'open-external') openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    const decision = decideNavigation(event.url, appUrl);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-external') openExternal(event.url);
  });
  applyPermissionPolicy(contents.session, appUrl);

  void window.loadURL(appUrl);
  return window;
}

function applyPermissionPolicy(session: Session, appUrl: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(decidePermission(permission, { requestingUrl: details.requestingUrl, mediaTypes }, appUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    const mediaTypes = details.mediaType === 'audio' || details.mediaType === 'video' ? [details.mediaType] : [];
    return decidePermission(permission, { requestingUrl: requestingOrigin, mediaTypes }, appUrl);
  });
}

/** Replaces the console with a page that says what failed and where the logs are. */
export function showFailurePage(window: BrowserWindow, content: FailurePageContent): void {
  if (window.isDestroyed()) return;
  void window.loadURL(failurePageUrl(content));
  window.show();
}
