import { utilityProcess } from 'electron';
import type { BackendChild } from './backend-supervisor';

/** Electron glue: the backend as a utilityProcess (a Node child that Chromium keeps track of). */
export function forkBackendProcess(entryPath: string, env: Record<string, string>): BackendChild {
  return utilityProcess.fork(entryPath, [], { env, serviceName: 'Parley backend', stdio: 'inherit' });
}
