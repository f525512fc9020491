import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stopTrackedChildren, trackedChildPids } from './left-running';
import { BUILT_BACKEND, startServerProcess } from './server-process';

/** Whether `pid` is a running process: gone, or a zombie waiting for its parent, is not running. */
function isRunning(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (existsSync('/proc/self/stat')) {
    if (!existsSync(stat)) return false;
    const state = readFileSync(stat, 'utf8').replace(/^.*\) /s, '').charAt(0);
    return state !== 'Z' && state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** This process's children running the built backend, from /proc (what `ps` would show). */
async function backendChildren(): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  return pids.filter((pid) => {
    try {
      const parent = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
      return parent === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(BUILT_BACKEND) && isRunning(pid);
    } catch {
      return false; // exited while being read
    }
  });
}

function runVitest(config: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [resolve('node_modules/vitest/vitest.mjs'), 'run', '--config', config], { env: { ...process.env, CI: 'true' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolveRun({ code, output }));
  });
}

describe.runIf(process.platform === 'linux')('the backend processes the e2e harness starts are always stopped', () => {
  it('a backend that does not come up in time is stopped before the start fails, with its data dir', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-not-ready-'));
    try {
      await expect(startServerProcess({ dataDir, readyTimeoutMs: 1 })).rejects.toThrow(/did not start in 1 ms/);
      expect(await backendChildren()).toEqual([]);
      expect(trackedChildPids()).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('what a suite left running is stopped by the after-file cleanup', async () => {
    const server = await startServerProcess();
    expect(await backendChildren()).toEqual([server.child.pid]);
    expect(trackedChildPids()).toEqual([server.child.pid]);
    await stopTrackedChildren();
    expect(isRunning(server.child.pid!)).toBe(false);
    expect(await backendChildren()).toEqual([]);
  });

  it('a test file whose beforeAll fails after starting the backend leaves no backend running', async () => {
    const { code, output } = await runVitest('tests/support/fixtures/vitest.fixture.config.ts');
    expect(code, output).toBe(1);
    expect(output).toContain('the browser could not start');
    const pid = Number(/BACKEND_PID=(\d+)/.exec(output)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(isRunning(pid)).toBe(false);
  }, 60_000);
});
