/**
 * The one API the preload script exposes to the renderer as `window.parley` (desktop app only).
 * Main and preload both import the channel names from here, so they cannot drift apart.
 */
export const desktopIpcChannels = {
  getBackend: 'parley:get-backend',
  openFiles: 'parley:open-files',
  /** Main → page: the global push-to-talk shortcut was pressed (main/push-to-talk-shortcut.ts). */
  pushToTalkShortcut: 'parley:push-to-talk-shortcut',
} as const;

export interface BackendEndpoint {
  /** e.g. http://127.0.0.1:7861 */
  url: string;
  token: string;
}

export interface OpenFilesOptions {
  title?: string;
  filters?: Array<{ name: string; extensions: string[] }>;
  multiple?: boolean;
}

export interface ParleyDesktopApi {
  /** Where the backend listens now; it may move after a restart, so ask again on reconnect. */
  getBackend(): Promise<BackendEndpoint>;
  /** Native open dialog; resolves to the chosen absolute paths, empty when cancelled. */
  openFiles(options: OpenFilesOptions): Promise<string[]>;
  /** The global push-to-talk shortcut, pressed while Parley's window is not focused; returns the unsubscribe. */
  onPushToTalkShortcut(listener: () => void): () => void;
  appVersion: string;
}

declare global {
  interface Window {
    parley?: ParleyDesktopApi;
  }
}
