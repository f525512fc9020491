import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { desktopIpcChannels, type BackendEndpoint } from '../preload/api';
import type { BackendSupervisor } from './backend-supervisor';
import { isAppPage } from './navigation-policy';
import { toOpenDialogRequest } from './open-files-options';

/** The renderer's side of window.parley (preload/index.ts). */
export function registerDesktopIpc(supervisor: BackendSupervisor, appUrl: string): void {
  // Only the app's own page may ask: the token and file dialogs are not for any other frame.
  const assertFromApp = (event: IpcMainInvokeEvent) => {
    const url = event.senderFrame?.url;
    if (url === undefined || !isAppPage(url, appUrl)) throw new Error('This request is only accepted from the Parley console.');
  };

  ipcMain.handle(desktopIpcChannels.getBackend, (event): Promise<BackendEndpoint> => {
    assertFromApp(event);
    return supervisor.whenReady();
  });

  ipcMain.handle(desktopIpcChannels.openFiles, async (event, options: unknown): Promise<string[]> => {
    assertFromApp(event);
    const request = toOpenDialogRequest(options);
    const window = BrowserWindow.fromWebContents(event.sender);
    const result = window ? await dialog.showOpenDialog(window, request) : await dialog.showOpenDialog(request);
    return result.canceled ? [] : result.filePaths;
  });
}
