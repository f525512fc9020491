import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, globalShortcut, type BrowserWindow } from 'electron';
import { desktopIpcChannels } from '../preload/api';
import { backendEntryPath, buildBackendLaunch } from './backend-launch';
import { forkBackendProcess } from './backend-process';
import { BackendSupervisor, describeBackendFailure } from './backend-supervisor';
import type { FailurePageContent } from './failure-page';
import { registerDesktopIpc } from './ipc';
import { bindGlobalPushToTalk } from './push-to-talk-shortcut';
import { safeStorageCipher } from './safe-storage-cipher';
import { BACKEND_KEY_FILE, SEALED_KEY_FILE, loadOrCreateSealedKey } from './sealed-key';
import { createMainWindow, rendererUrl, showFailurePage } from './window';

const mainDir = dirname(fileURLToPath(import.meta.url));

if (!app.requestSingleInstanceLock()) {
  // Two instances would run two backends on one data folder.
  app.quit();
} else {
  const appUrl = rendererUrl(mainDir, app.isPackaged);
  let window: BrowserWindow | undefined;
  let supervisor: BackendSupervisor | undefined;
  let failure: FailurePageContent | undefined;

  const openWindow = () => {
    window = createMainWindow({ appUrl, preloadPath: join(mainDir, '..', 'preload', 'index.cjs'), appVersion: app.getVersion() });
    window.on('closed', () => (window = undefined));
    const contents = window.webContents;
    bindGlobalPushToTalk(
      { isFocused: () => window?.isFocused() ?? false, on: (event, listener) => window?.on(event as 'focus', listener), notifyPushToTalk: () => contents.send(desktopIpcChannels.pushToTalkShortcut) },
      { register: (accelerator, pressed) => globalShortcut.register(accelerator, pressed), unregister: (accelerator) => globalShortcut.unregister(accelerator) },
      (message) => console.warn(message),
    );
    if (failure) showFailurePage(window, failure);
  };
  const fail = (content: Omit<FailurePageContent, 'logDir'>) => {
    failure = { ...content, logDir: join(app.getPath('userData'), 'logs') };
    if (window) showFailurePage(window, failure);
    else if (app.isReady()) openWindow();
  };

  const start = async () => {
    const dataDir = app.getPath('userData');
    let secretKey: Buffer | undefined;
    try {
      const sealed = await loadOrCreateSealedKey(
        { sealedKeyFile: join(dataDir, SEALED_KEY_FILE), backendKeyFile: join(dataDir, BACKEND_KEY_FILE) },
        safeStorageCipher,
      );
      if (sealed.kind === 'sealed') secretKey = sealed.key;
      else console.warn(`Not passing a secret key to the backend: ${sealed.reason}`);
    } catch (error) {
      fail({ title: 'Parley cannot open its secret key', message: error instanceof Error ? error.message : String(error) });
      return;
    }

    supervisor = new BackendSupervisor({
      spawnBackend: () => {
        const launch = buildBackendLaunch({ baseEnv: process.env, dataDir, secretKey });
        return { child: forkBackendProcess(backendEntryPath(mainDir), launch.env), token: launch.token };
      },
    });
    supervisor.onDidGiveUp((last) => fail({ title: 'The Parley backend keeps failing', message: describeBackendFailure(last) }));
    registerDesktopIpc(supervisor, appUrl);
    supervisor.start();
    openWindow();
  };

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => {
    // macOS apps stay in the dock with their windows closed; the backend keeps serving meanwhile.
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!window && (supervisor || failure)) openWindow();
  });

  let backendStopped = false;
  app.on('before-quit', (event) => {
    if (backendStopped || !supervisor) return;
    // Hold the quit until the backend has closed its store and sockets.
    event.preventDefault();
    void supervisor.stop().finally(() => {
      backendStopped = true;
      app.quit();
    });
  });

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => fail({ title: 'Parley could not start', message: error instanceof Error ? error.stack ?? error.message : String(error) }));
}
