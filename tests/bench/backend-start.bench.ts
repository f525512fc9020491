import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_BACKEND } from '../support/server-process';
import { median, type BenchRow } from './bench-table';

const RUNS = 7;

/** Cold start: a fresh data dir (migrations included) until the ready line, against bare `node` start-up. */
export async function benchBackendColdStart(): Promise<BenchRow[]> {
  const backend: number[] = [];
  const bareNode: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    bareNode.push(await timeUntilLine(process.execPath, ['-e', 'process.stdout.write("Web console: ready\\n")'], {}));
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
    backend.push(await timeUntilLine(process.execPath, [BUILT_BACKEND], { PARLEY_DATA_DIR: dataDir, PARLEY_PORT: '0', PARLEY_WEBHOOK_PORT: '0', PARLEY_LOG_LEVEL: 'warn' }));
    await rm(dataDir, { recursive: true, force: true });
  }
  return [
    {
      // The built bundle starts the product's whole capability list (backend/app/capabilities.ts).
      name: `backend cold start to ready, every capability loaded (median of ${RUNS})`,
      value: median(backend),
      unit: 'ms',
      baselineName: 'bare node start',
      baseline: median(bareNode),
    },
  ];
}

function timeUntilLine(command: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Web console:')) {
        const elapsed = performance.now() - started;
        child.kill('SIGTERM');
        child.once('exit', () => resolve(elapsed));
      }
    });
    child.once('exit', (code) => {
      if (!output.includes('Web console:')) reject(new Error(`${command} exited ${code} before ready: ${output}`));
    });
  });
}

