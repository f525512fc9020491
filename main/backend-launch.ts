import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BackendEnv } from '#protocol';

export interface BackendLaunch {
  env: Record<string, string>;
  token: string;
}

export interface BackendLaunchInput {
  /** Usually process.env: the backend still needs PATH, HOME, proxies, locale. */
  baseEnv: NodeJS.ProcessEnv;
  /** app.getPath('userData') */
  dataDir: string;
  /** From the sealed key file; undefined lets the backend use its own key file. */
  secretKey: Buffer | undefined;
}

/** The bundled backend sits beside the bundled main: out/main/index.js → out/backend/index.js. */
export function backendEntryPath(mainDir: string): string {
  return join(mainDir, '..', 'backend', 'index.js');
}

/** A fresh token per launch, so a restarted backend never honours a token handed out earlier. */
export function generateBackendToken(): string {
  return randomBytes(24).toString('base64url');
}

export function buildBackendLaunch(input: BackendLaunchInput, token: string = generateBackendToken()): BackendLaunch {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.baseEnv)) {
    if (value !== undefined) env[name] = value;
  }
  // An inherited key (e.g. from a shell used for server mode) would override the one the desktop
  // manages; the key must come from the sealed file or the backend's key file, nowhere else.
  delete env[BackendEnv.secretKey];
  delete env[BackendEnv.staticDir];

  env[BackendEnv.mode] = 'desktop';
  env[BackendEnv.token] = token;
  env[BackendEnv.port] = '0'; // any free loopback port; the ready message says which
  env[BackendEnv.dataDir] = input.dataDir;
  if (input.secretKey) env[BackendEnv.secretKey] = input.secretKey.toString('base64');
  return { env, token };
}
