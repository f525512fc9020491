import { contextBridge, ipcRenderer } from 'electron';
import { desktopIpcChannels, type ParleyDesktopApi } from './api';

// Sandboxed preload: only these three members reach the page, never ipcRenderer itself.
const api: ParleyDesktopApi = {
  getBackend: () => ipcRenderer.invoke(desktopIpcChannels.getBackend),
  openFiles: (options) => ipcRenderer.invoke(desktopIpcChannels.openFiles, options),
  // Main passes its version as an argument: a sandboxed preload cannot read package.json.
  appVersion: process.argv.find((arg) => arg.startsWith('--parley-version='))?.split('=')[1] ?? '',
};

contextBridge.exposeInMainWorld('parley', api);
