import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BackendEnv } from '#protocol';

export type BackendMode = 'desktop' | 'server';

export interface BackendConfig {
  mode: BackendMode;
  host: string;
  /** 0 picks a free port (tests, desktop app when the default is taken). */
  port: number;
  token: string;
  /** True when the token was generated at start, so server mode prints it. */
  tokenGenerated: boolean;
  dataDir: string;
  secretKey: string | undefined;
  /** Built renderer to serve as the web console; undefined serves none. */
  staticDir: string | undefined;
  maxJsonBytes: number;
  /**
   * The public listener for internet-facing routes (webhooks). Loopback by default: a desktop
   * reaches the internet through a tunnel or reverse proxy pointed at it; a server may bind 0.0.0.0.
   */
  webhookHost: string;
  /** 0 picks a free port. */
  webhookPort: number;
  logLevel: string;
  /** The environment capabilities read their own settings from (e.g. PARLEY_LLM_BASE_URL). */
  environment: NodeJS.ProcessEnv;
}

export const DEFAULT_PORT = 7861;
export const DEFAULT_MAX_JSON_BYTES = 1024 * 1024;
export const DEFAULT_WEBHOOK_HOST = '127.0.0.1';
export const DEFAULT_WEBHOOK_PORT = 7862;

/** The per-user data folder each OS expects, as Electron's app.getPath('userData') would give. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Parley');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Parley');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'parley');
}

export function readBackendConfig(env: NodeJS.ProcessEnv, defaultStaticDir: string | undefined): BackendConfig {
  const mode: BackendMode = env[BackendEnv.mode] === 'desktop' ? 'desktop' : 'server';
  const port = parseInteger(env[BackendEnv.port], DEFAULT_PORT, BackendEnv.port, 0, 65535);
  const maxJsonBytes = parseInteger(env[BackendEnv.maxJsonBytes], DEFAULT_MAX_JSON_BYTES, BackendEnv.maxJsonBytes, 1024, 512 * 1024 * 1024);
  const webhookPort = parseInteger(env[BackendEnv.webhookPort], DEFAULT_WEBHOOK_PORT, BackendEnv.webhookPort, 0, 65535);
  const webhookHost = env[BackendEnv.webhookHost] || DEFAULT_WEBHOOK_HOST;
  if (!/^[\w.:-]{1,253}$/.test(webhookHost)) throw new Error(`${BackendEnv.webhookHost} must be a host name or IP address (got "${webhookHost}")`);
  const givenToken = env[BackendEnv.token];
  if (givenToken !== undefined && givenToken !== '' && givenToken.length < 16) {
    throw new Error(`${BackendEnv.token} must be at least 16 characters`);
  }
  if (givenToken !== undefined && !/^[A-Za-z0-9._~-]*$/.test(givenToken)) {
    // The token travels as a WebSocket subprotocol, which allows only token characters.
    throw new Error(`${BackendEnv.token} may contain only letters, digits and . _ ~ -`);
  }
  const token = givenToken || randomBytes(24).toString('base64url');
  return {
    mode,
    // The control API never listens beyond loopback: the token is the only thing guarding it.
    host: '127.0.0.1',
    port,
    token,
    tokenGenerated: !givenToken,
    dataDir: env[BackendEnv.dataDir] || defaultDataDir(env),
    secretKey: env[BackendEnv.secretKey] || undefined,
    staticDir: env[BackendEnv.staticDir] || defaultStaticDir,
    maxJsonBytes,
    webhookHost,
    webhookPort,
    logLevel: env[BackendEnv.logLevel] || 'info',
    environment: env,
  };
}

function parseInteger(text: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (text === undefined || text === '') return fallback;
  // Digits only: Number() would read " " as 0 (a random port) and "0x50" or "1e3" as numbers.
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max} (got "${text}")`);
  }
  return value;
}
