import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { trackChildProcess } from './left-running';

export const BUILT_BACKEND = resolve('out/backend/index.js');

export interface ServerProcess {
  url: string;
  token: string;
  dataDir: string;
  /** The console link the server printed, token included. */
  consoleUrl: string;
  child: ChildProcessWithoutNullStreams;
  output(): string;
  /** SIGTERM and wait for exit; removes the data dir unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<number | null>;
}

/**
 * Runs the built backend exactly as `npm run server` does (a real process, real port, the built
 * renderer as the web console), on a free port with a temporary data dir.
 */
export async function startServerProcess(
  options: { env?: Record<string, string>; dataDir?: string; port?: number; readyTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'parley-e2e-')));
  const token = options.env?.PARLEY_TOKEN ?? randomBytes(18).toString('base64url');
  // Registered at once: whatever fails from here on, the test run stops this process (left-running.ts).
  const child = trackChildProcess(spawn(process.execPath, [BUILT_BACKEND], {
    env: {
      ...process.env,
      PARLEY_DATA_DIR: dataDir,
      PARLEY_PORT: String(options.port ?? 0),
      PARLEY_WEBHOOK_PORT: '0',
      PARLEY_TOKEN: token,
      PARLEY_LOG_LEVEL: 'debug',
      ...options.env,
    },
  }));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const ready = new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`backend did not start in ${readyTimeoutMs} ms:\n${output}`)), readyTimeoutMs);
    const onData = () => {
      const match = output.match(/Web console: (http:\/\/127\.0\.0\.1:\d+)\//);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolveUrl(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`backend exited with ${code} before it was ready:\n${output}`));
    });
  });
  let url: string;
  try {
    url = await ready;
  } catch (error) {
    // A backend that did not come up is not left running, nor its temporary data behind.
    await stopChild(child);
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    token,
    dataDir,
    consoleUrl: `${url}/#token=${token}`,
    child,
    output: () => output,
    stop: async ({ keepData = false } = {}) => {
      const code = await stopChild(child);
      if (!keepData && !options.dataDir) await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** SIGTERM, and SIGKILL if it has not exited 10 s later; resolves with the exit code. */
function stopChild(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  const exited = new Promise<number | null>((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) resolveExit(child.exitCode);
    else child.once('exit', (code) => resolveExit(code));
  });
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return exited.finally(() => clearTimeout(timer));
}

/** One protocol method over the control API's HTTP route, as a script would call it; throws on an error answer. */
export async function callServerMethod(server: ServerProcess, method: string, params: unknown): Promise<unknown> {
  const response = await fetch(`${server.url}/api/rpc/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const body = (await response.json()) as { result?: unknown; error?: unknown };
  if (!response.ok) throw new Error(`${method} failed: ${JSON.stringify(body.error)}`);
  return body.result;
}
