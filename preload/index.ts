import { contextBridge, ipcRenderer } from 'electron';
import { desktopIpcChannels, type ParleyDesktopApi } from './api';

// Sandboxed preload: only these members reach the page, never ipcRenderer itself.
const api: ParleyDesktopApi = {
  getBackend: () => ipcRenderer.invoke(desktopIpcChannels.getBackend),
  openFiles: (options) => ipcRenderer.invoke(desktopIpcChannels.openFiles, options),
  onPushToTalkShortcut: (listener) => {
    // The page gets a bare call, never the IPC event (it would expose the sender).
    const forward = () => listener();
    ipcRenderer.on(desktopIpcChannels.pushToTalkShortcut, forward);
    return () => void ipcRenderer.removeListener(desktopIpcChannels.pushToTalkShortcut, forward);
  },
  // Main passes its version as an argument: a sandboxed preload cannot read package.json.
  appVersion: process.argv.find((arg) => arg.startsWith('--parley-version='))?.split('=')[1] ?? '',
};

contextBridge.exposeInMainWorld('parley', api);
